/* Every error path of the config validator: each broken document must be
 * refused with a one-line message naming the JSON path and the reason. */
#include "config_helpers.h"

struct bad {
        const char *json;
        const char *want;
};

#define NS_ALL "'namespaces':[{'type':'pid'},{'type':'network'},{'type':'ipc'},{'type':'uts'}]"
#define RES(x) LINUX("'resources':{" x "}")
#define SC(x) LINUX("'seccomp':{'defaultAction':'SCMP_ACT_ALLOW'" x "}")
#define MNT(x) CFG(",'mounts':[" x "]")
#define HOOK(x) CFG(",'hooks':{'prestart':[" x "]}")

static const struct bad top_level[] = {
    {"", "config.json: invalid JSON"},
    {"{'ociVersion':", "config.json: invalid JSON"},
    {"[1,2]", "config.json: .: expected an object, got an array"},
    {"{'root':{'path':'r'}}", "config.json: .ociVersion: required field is missing"},
    {"{'ociVersion':1,'root':{'path':'r'}}", ".ociVersion: expected a string, got an integer"},
    {"{'ociVersion':'abc','root':{'path':'r'}}", ".ociVersion: \"abc\" is not a version"},
    {"{'ociVersion':'1.2','root':{'path':'r'}}", ".ociVersion: \"1.2\" is not a version"},
    {"{'ociVersion':'1.3.0','root':{'path':'r'}}",
     ".ociVersion: version 1.3.0 is not supported (berth supports 1.0.0 to 1.2.x)"},
    {"{'ociVersion':'2.0.0','root':{'path':'r'}}", "version 2.0.0 is not supported"},
    {"{'ociVersion':'0.9.0','root':{'path':'r'}}", "version 0.9.0 is not supported"},
    {"{'ociVersion':'1.0.0x','root':{'path':'r'}}", "is not a version"},
    {"{'ociVersion':'1.2.0'}", "config.json: .root: required field is missing"},
    {"{'ociVersion':'1.2.0','root':'rootfs'}", ".root: expected an object, got a string"},
    {"{'ociVersion':'1.2.0','root':{}}", ".root.path: required field is missing"},
    {"{'ociVersion':'1.2.0','root':{'path':''}}", ".root.path: must not be empty"},
    {"{'ociVersion':'1.2.0','root':{'path':'r','readonly':'yes'}}",
     ".root.readonly: expected a boolean, got a string"},
    {CFG(",'hostname':'a234567890123456789012345678901234567890123456789012345678901234567'"),
     ".hostname: longer than 64 bytes"},
    {CFG(",'hostname':'box'"), ".hostname: needs a UTS namespace"},
    {CFG(",'domainname':'example.org'"), ".domainname: needs a UTS namespace"},
    {CFG(",'hostname':7"), ".hostname: expected a string, got an integer"},
    {CFG(",'annotations':[]"), ".annotations: expected an object, got an array"},
    {CFG(",'annotations':{'a':1}"), ".annotations[\"a\"]: expected a string, got an integer"},
    {CFG(",'annotations':{'':'x'}"), ".annotations: a key is empty"},
    {CFG(",'process':[]"), ".process: expected an object, got an array"},
    {CFG(",'linux':true"), ".linux: expected an object, got a boolean"},
    {CFG(",'process':{'args':['sh'],'cwd':'/\\u0000/x'}"), "a string contains \\u0000"},
};

static const struct bad process[] = {
    {CFG(",'process':{'cwd':'/'}"), ".process.args: must name the program to run"},
    {CFG(",'process':{'args':[],'cwd':'/'}"), ".process.args: must name the program to run"},
    {CFG(",'process':{'args':'sh','cwd':'/'}"), ".process.args: expected an array, got a string"},
    {CFG(",'process':{'args':['sh',1],'cwd':'/'}"),
     ".process.args[1]: expected a string, got an integer"},
    {CFG(",'process':{'args':[''],'cwd':'/'}"), ".process.args[0]: the program name is empty"},
    {CFG(",'process':{'args':['sh']}"), ".process.cwd: required field is missing"},
    {CFG(",'process':{'args':['sh'],'cwd':'tmp'}"),
     ".process.cwd: must be an absolute path, got \"tmp\""},
    {PROC(",'env':['PATH']"), ".process.env[0]: \"PATH\" is not NAME=VALUE"},
    {PROC(",'env':['A=1','=x']"), ".process.env[1]: the variable name is empty"},
    {PROC(",'env':{'A':'1'}"), ".process.env: expected an array, got an object"},
    {PROC(",'terminal':1"), ".process.terminal: expected a boolean, got an integer"},
    {PROC(",'consoleSize':{'height':10}"), ".process.consoleSize.width: required field is missing"},
    {PROC(",'consoleSize':{'height':-1,'width':1}"),
     ".process.consoleSize.height: expected a non-negative integer, got -1"},
    {PROC(",'user':{'uid':'root'}"), ".process.user.uid: expected an integer, got a string"},
    {PROC(",'user':{'uid':4294967296}"), ".process.user.uid: 4294967296 is larger than 4294967295"},
    {PROC(",'user':{'uid':1.5}"), ".process.user.uid: expected an integer, got a number"},
    {PROC(",'user':{'gid':-3}"), ".process.user.gid: expected a non-negative integer"},
    {PROC(",'user':{'umask':512}"), ".process.user.umask: 512 is larger than 511"},
    {PROC(",'user':{'additionalGids':[1,'x']}"),
     ".process.user.additionalGids[1]: expected an integer, got a string"},
    {PROC(",'capabilities':{'bounding':['CAP_FLY']}"),
     ".process.capabilities.bounding[0]: unknown capability \"CAP_FLY\""},
    {PROC(",'capabilities':{'effective':['cap_kill']}"),
     ".process.capabilities.effective[0]: unknown capability \"cap_kill\""},
    {PROC(",'capabilities':{'ambient':['SYS_ADMIN']}"), "unknown capability \"SYS_ADMIN\""},
    {PROC(",'capabilities':{'permitted':['CAP_40']}"), "unknown capability \"CAP_40\""},
    {PROC(",'capabilities':{'inheritable':'CAP_KILL'}"),
     ".process.capabilities.inheritable: expected an array, got a string"},
    {PROC(",'capabilities':[]"), ".process.capabilities: expected an object, got an array"},
    {PROC(",'rlimits':[{'type':'RLIMIT_FOO','hard':1,'soft':1}]"),
     ".process.rlimits[0].type: unknown rlimit \"RLIMIT_FOO\""},
    {PROC(",'rlimits':[{'type':'RLIMIT_NOFILE','soft':1}]"),
     ".process.rlimits[0].hard: required field is missing"},
    {PROC(",'rlimits':[{'type':'RLIMIT_NOFILE','hard':1,'soft':2}]"),
     ".process.rlimits[0]: soft limit 2 is above hard limit 1"},
    {PROC(",'rlimits':[{'type':'RLIMIT_NOFILE','hard':1,'soft':1},"
          "{'type':'RLIMIT_NOFILE','hard':2,'soft':2}]"),
     ".process.rlimits[1].type: RLIMIT_NOFILE is given twice"},
    {PROC(",'rlimits':[{'hard':1,'soft':1}]"),
     ".process.rlimits[0].type: required field is missing"},
    {PROC(",'noNewPrivileges':'true'"), ".process.noNewPrivileges: expected a boolean"},
    {PROC(",'oomScoreAdj':1001"), ".process.oomScoreAdj: 1001 is out of range (-1000 to 1000)"},
    {PROC(",'ioPriority':{'class':'IOPRIO_CLASS_FAST'}"),
     ".process.ioPriority.class: unknown class \"IOPRIO_CLASS_FAST\""},
    {PROC(",'ioPriority':{'class':'IOPRIO_CLASS_BE','priority':8}"),
     ".process.ioPriority.priority: 8 is out of range (0 to 7)"},
    {PROC(",'ioPriority':{'priority':1}"), ".process.ioPriority.class: required field is missing"},
    {PROC(",'scheduler':{'policy':'SCHED_FAST'}"),
     ".process.scheduler.policy: unknown policy \"SCHED_FAST\""},
    {PROC(",'scheduler':{'policy':'SCHED_OTHER','nice':20}"),
     ".process.scheduler.nice: 20 is out of range (-20 to 19)"},
    {PROC(",'scheduler':{'policy':'SCHED_OTHER','flags':['SCHED_FLAG_X']}"),
     ".process.scheduler.flags[0]: unknown flag \"SCHED_FLAG_X\""},
    {PROC(",'scheduler':{'policy':'SCHED_OTHER','runtime':-1}"),
     ".process.scheduler.runtime: expected a non-negative integer"},
    {PROC(",'execCPUAffinity':{'initial':'0-'}"),
     ".process.execCPUAffinity.initial: \"0-\" is not a CPU or node list"},
    {PROC(",'execCPUAffinity':{'final':'3-1'}"),
     ".process.execCPUAffinity.final: \"3-1\" is not a CPU or node list"},
    {PROC(",'apparmorProfile':false"),
     ".process.apparmorProfile: expected a string, got a boolean"},
    {PROC(",'selinuxLabel':[]"), ".process.selinuxLabel: expected a string, got an array"},
};

static const struct bad mounts[] = {
    {CFG(",'mounts':{}"), ".mounts: expected an array, got an object"},
    {MNT("'proc'"), ".mounts[0]: expected an object, got a string"},
    {MNT("{'type':'proc','source':'proc'}"), ".mounts[0].destination: required field is missing"},
    {MNT("{'destination':''}"), ".mounts[0].destination: must not be empty"},
    {MNT("{'destination':'/p','type':7}"), ".mounts[0].type: expected a string, got an integer"},
    {MNT("{'destination':'/p','options':'ro'}"),
     ".mounts[0].options: expected an array, got a string"},
    {MNT("{'destination':'/p','options':['ro','']}"),
     ".mounts[0].options[1]: bad mount option \"\""},
    {MNT("{'destination':'/p','options':['=x']}"),
     ".mounts[0].options[0]: bad mount option \"=x\""},
    {MNT("{'destination':'/p','options':['bind']}"),
     ".mounts[0].source: a bind mount needs a source"},
    {MNT("{'destination':'/p','type':'bind'}"), ".mounts[0].source: a bind mount needs a source"},
    {MNT("{'destination':'/p','type':'proc','options':['tmpcopyup']}"),
     ".mounts[0].options: tmpcopyup needs a tmpfs mount"},
    {MNT("{'destination':'/p','source':'/s','options':['bind'],"
         "'uidMappings':[{'containerID':0,'hostID':1,'size':1}]}"),
     ".mounts[0]: uidMappings and gidMappings must be given together"},
    {MNT("{'destination':'/p','type':'tmpfs',"
         "'uidMappings':[{'containerID':0,'hostID':1,'size':1}],"
         "'gidMappings':[{'containerID':0,'hostID':1,'size':1}]}"),
     ".mounts[0]: uidMappings/gidMappings (idmapped mount) need a bind mount"},
    {MNT("{'destination':'/p','source':'/s','options':['bind'],"
         "'uidMappings':[{'containerID':0,'hostID':1,'size':0}],'gidMappings':[]}"),
     ".mounts[0].uidMappings[0].size: must be greater than 0"},
    {MNT("{'destination':'/p','source':'/s','options':['bind'],"
         "'uidMappings':[{'hostID':1,'size':1}]}"),
     ".mounts[0].uidMappings[0].containerID: required field is missing"},
    {MNT("{'destination':'/p','source':'/s','options':['bind'],"
         "'uidMappings':[{'containerID':4294967295,'hostID':1,'size':2}]}"),
     ".mounts[0].uidMappings[0]: the range goes past 4294967295"},
    {MNT("{'destination':'/ok'},{'destination':'/x','options':[1]}"),
     ".mounts[1].options[0]: expected a string, got an integer"},
};

static const struct bad hooks[] = {
    {CFG(",'hooks':[]"), ".hooks: expected an object, got an array"},
    {CFG(",'hooks':{'poststop':{}}"), ".hooks.poststop: expected an array, got an object"},
    {HOOK("{}"), ".hooks.prestart[0].path: required field is missing"},
    {HOOK("{'path':'hook.sh'}"), ".hooks.prestart[0].path: must be an absolute path"},
    {HOOK("{'path':'/h','timeout':0}"), ".hooks.prestart[0].timeout: must be greater than zero"},
    {HOOK("{'path':'/h','timeout':-5}"), ".hooks.prestart[0].timeout: must be greater than zero"},
    {HOOK("{'path':'/h','timeout':'5'}"), ".hooks.prestart[0].timeout: expected an integer"},
    {HOOK("{'path':'/h','args':[1]}"), ".hooks.prestart[0].args[0]: expected a string"},
    {HOOK("{'path':'/h','env':'A=1'}"), ".hooks.prestart[0].env: expected an array"},
    {CFG(",'hooks':{'createRuntime':[{'path':'/ok'},{'path':'rel'}]}"),
     ".hooks.createRuntime[1].path: must be an absolute path"},
};

static const struct bad lnx[] = {
    {LINUX("'namespaces':{}"), ".linux.namespaces: expected an array, got an object"},
    {LINUX("'namespaces':[{'type':'pid'},{'type':'vm'}]"),
     ".linux.namespaces[1].type: unknown namespace type \"vm\""},
    {LINUX("'namespaces':[{'path':'/proc/1/ns/pid'}]"),
     ".linux.namespaces[0].type: required field is missing"},
    {LINUX("'namespaces':[{'type':'pid'},{'type':'pid'}]"),
     ".linux.namespaces[1].type: namespace \"pid\" is given twice"},
    {LINUX("'namespaces':[{'type':'network','path':'netns'}]"),
     ".linux.namespaces[0].path: must be an absolute path, got \"netns\""},
    {LINUX("'namespaces':[{'type':'pid'},{'type':'ipc'},{'type':'uts'},{'type':'mount'},"
           "{'type':'user'},{'type':'user'},{'type':'x'},{'type':'x'},{'type':'x'},"
           "{'type':'x'},{'type':'x'},{'type':'x'},{'type':'x'},{'type':'x'},{'type':'x'},"
           "{'type':'x'},{'type':'x'},{'type':'x'},{'type':'x'},{'type':'x'},{'type':'x'},"
           "{'type':'x'},{'type':'x'},{'type':'x'},{'type':'x'},{'type':'x'},{'type':'x'},"
           "{'type':'x'},{'type':'x'},{'type':'x'},{'type':'x'},{'type':'x'},{'type':'x'}]"),
     ".linux.namespaces: too many namespaces (33)"},
    {LINUX("'uidMappings':[{'containerID':0,'hostID':1000,'size':1}]"),
     ".linux.uidMappings: id mappings need a user namespace"},
    {LINUX("'namespaces':[{'type':'user'}]"),
     ".linux.namespaces: a new user namespace needs .linux.uidMappings and .linux.gidMappings"},
    {LINUX("'namespaces':[{'type':'user'}],'uidMappings':[{'containerID':0,'hostID':1,'size':1}]"),
     "a new user namespace needs"},
    {LINUX("'uidMappings':{}"), ".linux.uidMappings: expected an array, got an object"},
    {LINUX("'gidMappings':[{'containerID':0,'hostID':'1','size':1}]"),
     ".linux.gidMappings[0].hostID: expected an integer, got a string"},
    {LINUX("'timeOffsets':{'monotonic':{'secs':1}}"),
     ".linux.timeOffsets: needs a new time namespace"},
    {LINUX("'namespaces':[{'type':'time'}],'timeOffsets':{'boottime':{'nanosecs':1000000000}}"),
     ".linux.timeOffsets.boottime.nanosecs: 1000000000 is larger than 999999999"},
    {LINUX("'timeOffsets':{'monotonic':{'secs':'1'}}"),
     ".linux.timeOffsets.monotonic.secs: expected an integer, got a string"},
    {LINUX("'devices':[{'path':'/dev/x','type':'z','major':1,'minor':1}]"),
     ".linux.devices[0].type: unknown device type \"z\""},
    {LINUX("'devices':[{'path':'/dev/x','type':'c','major':1}]"),
     ".linux.devices[0].minor: required field is missing"},
    {LINUX("'devices':[{'path':'dev/x','type':'c','major':1,'minor':1}]"),
     ".linux.devices[0].path: must be an absolute path"},
    {LINUX("'devices':[{'type':'c','major':1,'minor':1}]"),
     ".linux.devices[0].path: required field is missing"},
    {LINUX("'devices':[{'path':'/dev/x','type':'c','major':5000,'minor':1}]"),
     ".linux.devices[0].major: 5000 is out of range (0 to 4095)"},
    {LINUX("'devices':[{'path':'/dev/x','type':'b','major':1,'minor':-1}]"),
     ".linux.devices[0].minor: -1 is out of range"},
    {LINUX("'devices':[{'path':'/dev/x','type':'c','major':1,'minor':1,'fileMode':65535}]"),
     ".linux.devices[0].fileMode: 65535 is larger than 4095"},
    {LINUX("'devices':[{'path':'/dev/x','type':'c','major':1,'minor':1,'uid':-1}]"),
     ".linux.devices[0].uid: expected a non-negative integer"},
    {LINUX("'cgroupsPath':'/a/../../b'"), ".linux.cgroupsPath: \"..\" is not allowed"},
    {LINUX("'cgroupsPath':7"), ".linux.cgroupsPath: expected a string, got an integer"},
    {LINUX("'rootfsPropagation':'rshare'"),
     ".linux.rootfsPropagation: unknown propagation \"rshare\""},
    {LINUX("'maskedPaths':['/proc/kcore','proc/keys']"),
     ".linux.maskedPaths[1]: must be an absolute path, got \"proc/keys\""},
    {LINUX("'readonlyPaths':['sys']"), ".linux.readonlyPaths[0]: must be an absolute path"},
    {LINUX("'mountLabel':1"), ".linux.mountLabel: expected a string, got an integer"},
    {LINUX(NS_ALL ",'sysctl':{'net..x':'1'}"),
     ".linux.sysctl[\"net..x\"]: \"net..x\" is not a sysctl name"},
    {LINUX(NS_ALL ",'sysctl':{'/net/x':'1'}"), "is not a sysctl name"},
    {LINUX(NS_ALL ",'sysctl':{'net.x.':'1'}"), "is not a sysctl name"},
    {LINUX(NS_ALL ",'sysctl':{'net/../vm':'1'}"), "is not a sysctl name"},
    {LINUX(NS_ALL ",'sysctl':{'':'1'}"), "is not a sysctl name"},
    {LINUX(NS_ALL ",'sysctl':{'net.ipv4.ip_forward':1}"),
     ".linux.sysctl[\"net.ipv4.ip_forward\"]: expected a string, got an integer"},
    {LINUX(NS_ALL ",'sysctl':{'vm.swappiness':'1'}"),
     ".linux.sysctl[\"vm.swappiness\"]: not a namespaced sysctl"},
    {LINUX("'sysctl':{'net.ipv4.ip_forward':'1'}"),
     ".linux.sysctl[\"net.ipv4.ip_forward\"]: needs a network namespace"},
    {LINUX("'sysctl':{'kernel.shmmax':'1'}"),
     ".linux.sysctl[\"kernel.shmmax\"]: needs an IPC namespace"},
    {LINUX("'sysctl':{'fs.mqueue.msg_max':'1'}"), "needs an IPC namespace"},
    {LINUX("'sysctl':{'kernel.hostname':'x'}"), "needs a UTS namespace"},
    {LINUX("'personality':{'domain':'LINUX64'}"),
     ".linux.personality.domain: unknown domain \"LINUX64\""},
    {LINUX("'personality':{}"), ".linux.personality.domain: required field is missing"},
    {LINUX("'intelRdt':{'closID':'../x'}"), ".linux.intelRdt.closID: \"../x\" is not a plain name"},
    {LINUX("'intelRdt':{'enableCMT':1}"), ".linux.intelRdt.enableCMT: expected a boolean"},
    {LINUX("'memoryPolicy':{'mode':'MPOL_RANDOM'}"),
     ".linux.memoryPolicy.mode: unknown mode \"MPOL_RANDOM\""},
    {LINUX("'memoryPolicy':{'mode':'MPOL_BIND','flags':['MPOL_F_X']}"),
     ".linux.memoryPolicy.flags[0]: unknown flag \"MPOL_F_X\""},
    {LINUX("'memoryPolicy':{'mode':'MPOL_BIND','nodes':'0,,1'}"),
     ".linux.memoryPolicy.nodes: \"0,,1\" is not a CPU or node list"},
    {LINUX("'resources':[]"), ".linux.resources: expected an object, got an array"},
    {LINUX("'seccomp':'default'"), ".linux.seccomp: expected an object, got a string"},
};

static const struct bad resources[] = {
    {RES("'memory':{'limit':'1G'}"),
     "config.json: .linux.resources.memory.limit: expected an integer, got a string"},
    {RES("'memory':{'limit':-2}"), ".linux.resources.memory.limit: -2 is out of range"},
    {RES("'memory':{'swap':1e9}"),
     ".linux.resources.memory.swap: expected an integer, got a number"},
    {RES("'memory':{'swappiness':101}"), ".linux.resources.memory.swappiness: 101 is out of range"},
    {RES("'memory':{'disableOOMKiller':0}"),
     ".linux.resources.memory.disableOOMKiller: expected a boolean, got an integer"},
    {RES("'memory':{'limit':99999999999999999999}"), ".linux.resources.memory.limit: "},
    {RES("'memory':[]"), ".linux.resources.memory: expected an object, got an array"},
    {RES("'devices':[{'access':'rwm'}]"),
     ".linux.resources.devices[0].allow: required field is missing"},
    {RES("'devices':[{'allow':true,'type':'x'}]"),
     ".linux.resources.devices[0].type: unknown device type \"x\""},
    {RES("'devices':[{'allow':true,'access':'rwx'}]"),
     ".linux.resources.devices[0].access: \"rwx\" is not a subset of \"rwm\""},
    {RES("'devices':[{'allow':true,'major':-2}]"),
     ".linux.resources.devices[0].major: -2 is out of range"},
    {RES("'cpu':{'shares':-1}"), ".linux.resources.cpu.shares: expected a non-negative integer"},
    {RES("'cpu':{'quota':-5}"), ".linux.resources.cpu.quota: -5 is out of range"},
    {RES("'cpu':{'idle':2}"), ".linux.resources.cpu.idle: 2 is out of range (0 to 1)"},
    {RES("'cpu':{'cpus':'a-b'}"), ".linux.resources.cpu.cpus: \"a-b\" is not a CPU or node list"},
    {RES("'cpu':{'mems':'0 1'}"), ".linux.resources.cpu.mems: \"0 1\" is not a CPU or node list"},
    {RES("'pids':{'limit':'max'}"),
     ".linux.resources.pids.limit: expected an integer, got a string"},
    {RES("'blockIO':{'weight':70000}"),
     ".linux.resources.blockIO.weight: 70000 is larger than 65535"},
    {RES("'blockIO':{'weightDevice':[{'minor':0,'weight':5}]}"),
     ".linux.resources.blockIO.weightDevice[0].major: required field is missing"},
    {RES("'blockIO':{'throttleReadBpsDevice':[{'major':8,'minor':0}]}"),
     ".linux.resources.blockIO.throttleReadBpsDevice[0].rate: required field is missing"},
    {RES("'blockIO':{'throttleWriteIOPSDevice':[{'major':8,'minor':0,'rate':-1}]}"),
     ".linux.resources.blockIO.throttleWriteIOPSDevice[0].rate: expected a non-negative"},
    {RES("'hugepageLimits':[{'pageSize':'2M','limit':1}]"),
     ".linux.resources.hugepageLimits[0].pageSize: \"2M\" is not a page size"},
    {RES("'hugepageLimits':[{'pageSize':'../2MB','limit':1}]"), "is not a page size"},
    {RES("'hugepageLimits':[{'pageSize':'2MB'}]"),
     ".linux.resources.hugepageLimits[0].limit: required field is missing"},
    {RES("'network':{'classID':-1}"), ".linux.resources.network.classID: expected a non-negative"},
    {RES("'network':{'priorities':[{'priority':1}]}"),
     ".linux.resources.network.priorities[0].name: required field is missing"},
    {RES("'rdma':{'mlx':5}"), ".linux.resources.rdma[\"mlx\"]: expected an object, got an integer"},
    {RES("'rdma':{'mlx':{'hcaHandles':'x'}}"),
     ".linux.resources.rdma[\"mlx\"].hcaHandles: expected an integer"},
    {RES("'unified':{'../memory.max':'1'}"),
     ".linux.resources.unified[\"../memory.max\"]: \"../memory.max\" is not a cgroup file name"},
    {RES("'unified':{'cgroup.procs/x':'1'}"), "is not a cgroup file name"},
    {RES("'unified':{'memory':'1'}"), "is not a cgroup file name"},
    {RES("'unified':{'..':'1'}"), "is not a cgroup file name"},
    {RES("'unified':{'memory.max':1}"),
     ".linux.resources.unified[\"memory.max\"]: expected a string"},
};

static const struct bad seccomp[] = {
    {LINUX("'seccomp':{}"), ".linux.seccomp.defaultAction: required field is missing"},
    {LINUX("'seccomp':{'defaultAction':'SCMP_ACT_MAYBE'}"),
     ".linux.seccomp.defaultAction: unknown seccomp action \"SCMP_ACT_MAYBE\""},
    {LINUX("'seccomp':{'defaultAction':'SCMP_ACT_NOTIFY','listenerPath':'/l'}"),
     ".linux.seccomp.defaultAction: SCMP_ACT_NOTIFY cannot be the default action"},
    {SC(",'defaultErrnoRet':-1"), ".linux.seccomp.defaultErrnoRet: expected a non-negative"},
    {SC(",'architectures':['SCMP_ARCH_Z80']"),
     ".linux.seccomp.architectures[0]: unknown architecture \"SCMP_ARCH_Z80\""},
    {SC(",'architectures':['x86_64']"), "unknown architecture \"x86_64\""},
    {SC(",'architectures':['SCMP_ARCH_M68K']"),
     ".linux.seccomp.architectures[0]: architecture SCMP_ARCH_M68K is not supported by libseccomp"},
    {SC(",'flags':['SECCOMP_FILTER_FLAG_FAST']"),
     ".linux.seccomp.flags[0]: unknown seccomp flag \"SECCOMP_FILTER_FLAG_FAST\""},
    {SC(",'flags':'SECCOMP_FILTER_FLAG_LOG'"), ".linux.seccomp.flags: expected an array"},
    {SC(",'listenerPath':'sock'"), ".linux.seccomp.listenerPath: must be an absolute path"},
    {SC(",'syscalls':[{'names':['read'],'action':'SCMP_ACT_NOTIFY'}]"),
     ".linux.seccomp.listenerPath: required when a rule uses SCMP_ACT_NOTIFY"},
    {SC(",'syscalls':{}"), ".linux.seccomp.syscalls: expected an array, got an object"},
    {SC(",'syscalls':[{'action':'SCMP_ACT_ERRNO'}]"),
     ".linux.seccomp.syscalls[0].names: required field is missing"},
    {SC(",'syscalls':[{'names':[],'action':'SCMP_ACT_ERRNO'}]"),
     ".linux.seccomp.syscalls[0].names: must name at least one syscall"},
    {SC(",'syscalls':[{'names':['read','']}],'x':1"),
     ".linux.seccomp.syscalls[0].action: required"},
    {SC(",'syscalls':[{'names':['read',''],'action':'SCMP_ACT_ERRNO'}]"),
     ".linux.seccomp.syscalls[0].names[1]: empty syscall name"},
    {SC(",'syscalls':[{'names':['read'],'action':'ERRNO'}]"),
     ".linux.seccomp.syscalls[0].action: unknown seccomp action \"ERRNO\""},
    {SC(",'syscalls':[{'names':['read'],'action':'SCMP_ACT_ERRNO','errnoRet':'EPERM'}]"),
     ".linux.seccomp.syscalls[0].errnoRet: expected an integer, got a string"},
    {SC(",'syscalls':[{'names':['read'],'action':'SCMP_ACT_ERRNO',"
        "'args':[{'index':6,'value':1,'op':'SCMP_CMP_EQ'}]}]"),
     ".linux.seccomp.syscalls[0].args[0].index: 6 is out of range (0 to 5)"},
    {SC(",'syscalls':[{'names':['read'],'action':'SCMP_ACT_ERRNO',"
        "'args':[{'index':0,'value':1,'op':'SCMP_CMP_ALMOST'}]}]"),
     ".linux.seccomp.syscalls[0].args[0].op: unknown operator \"SCMP_CMP_ALMOST\""},
    {SC(",'syscalls':[{'names':['read'],'action':'SCMP_ACT_ERRNO',"
        "'args':[{'index':0,'op':'SCMP_CMP_EQ'}]}]"),
     ".linux.seccomp.syscalls[0].args[0].value: required field is missing"},
    {SC(",'syscalls':[{'names':['read'],'action':'SCMP_ACT_ERRNO','args':[{},{},{},{},{},{},{}]}]"),
     ".linux.seccomp.syscalls[0].args: more than 6 argument rules"},
};

static void run_table(const struct bad *t, size_t n)
{
        for (size_t i = 0; i < n; i++)
                parse_fails(t[i].json, t[i].want);
}

#define RUN(name)                                                                                  \
        static void test_##name(void **state)                                                      \
        {                                                                                          \
                (void)state;                                                                       \
                run_table(name, sizeof(name) / sizeof(name[0]));                                   \
        }
RUN(top_level)
RUN(process)
RUN(mounts)
RUN(hooks)
RUN(lnx)
RUN(resources)
RUN(seccomp)

int main(void)
{
        const struct CMUnitTest tests[] = {
            cmocka_unit_test(test_top_level), cmocka_unit_test(test_process),
            cmocka_unit_test(test_mounts),    cmocka_unit_test(test_hooks),
            cmocka_unit_test(test_lnx),       cmocka_unit_test(test_resources),
            cmocka_unit_test(test_seccomp),
        };
        return cmocka_run_group_tests(tests, NULL, NULL);
}
