# Turn a docker/podman-format seccomp profile (archMap, includes/excludes by
# arch and capability) into an OCI linux.seccomp section, the way podman does
# for a container on amd64 with the capabilities $caps (an array of names).
def arch_ok: ((.includes.arches // []) as $a | ($a | length) == 0 or ($a | index("amd64")) != null)
    and (((.excludes.arches // []) | index("amd64")) == null);
def caps_ok: ((.includes.caps // []) | all(. as $c | $caps | index($c) != null))
    and ((.excludes.caps // []) | all(. as $c | $caps | index($c) == null));
{
  defaultAction: .defaultAction,
  architectures: ([.archMap[] | select(.architecture == "SCMP_ARCH_X86_64")
                   | [.architecture] + .subArchitectures] | first),
  syscalls: [.syscalls[] | select(arch_ok and caps_ok)
             | {names, action}
               + (if .errnoRet != null then {errnoRet} else {} end)
               + (if ((.args // []) | length) > 0 then {args} else {} end)]
}
+ (if .defaultErrnoRet != null then {defaultErrnoRet: .defaultErrnoRet} else {} end)
