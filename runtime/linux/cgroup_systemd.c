/* The systemd cgroup manager: where systemd runs (/run/systemd/system), the
 * container's cgroup is a transient scope made through systemd's D-Bus API
 * (org.freedesktop.systemd1.Manager.StartTransientUnit, Delegate=yes) so
 * systemd does not fight over it. Elsewhere cgroup.c makes the same path on
 * the cgroup filesystem itself.
 *
 * libsystemd is opened with dlopen() only when a systemd scope is needed:
 * linked normally it pulls in libgcrypt, liblzma, libzstd and liblz4 and
 * roughly doubles the dynamic-linking cost of every berth start. */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <systemd/sd-bus.h>

#include "cgroup_internal.h"
#include "log.h"

bool cgroup_systemd_running(void)
{
        struct stat st;

        return lstat("/run/systemd/system", &st) == 0 && S_ISDIR(st.st_mode);
}

/* The sd-bus entry points berth uses, resolved at run time. */
static struct {
        int (*open_system)(sd_bus **);
        sd_bus *(*flush_close_unref)(sd_bus *);
        sd_bus_message *(*message_unref)(sd_bus_message *);
        int (*message_new_method_call)(sd_bus *, sd_bus_message **, const char *, const char *,
                                       const char *, const char *);
        int (*message_append)(sd_bus_message *, const char *, ...);
        int (*message_open_container)(sd_bus_message *, char, const char *);
        int (*message_close_container)(sd_bus_message *);
        int (*call)(sd_bus *, sd_bus_message *, uint64_t, sd_bus_error *, sd_bus_message **);
        void (*error_free)(sd_bus_error *);
} sdb;

static int load_libsystemd(struct berr *err)
{
        static void *handle;

        if (handle)
                return 0;
        void *h = dlopen("libsystemd.so.0", RTLD_NOW | RTLD_LOCAL);
        if (!h)
                return berr_fail(err, ENOENT, "cgroup: systemd manager: load libsystemd: %s",
                                 dlerror());
#define SDB_SYM(field, name)                                                                       \
        do {                                                                                       \
                *(void **)&sdb.field = dlsym(h, name);                                             \
                if (!sdb.field) {                                                                  \
                        dlclose(h);                                                                \
                        return berr_fail(err, ENOENT, "cgroup: libsystemd lacks %s", name);        \
                }                                                                                  \
        } while (0)
        SDB_SYM(open_system, "sd_bus_open_system");
        SDB_SYM(flush_close_unref, "sd_bus_flush_close_unref");
        SDB_SYM(message_unref, "sd_bus_message_unref");
        SDB_SYM(message_new_method_call, "sd_bus_message_new_method_call");
        SDB_SYM(message_append, "sd_bus_message_append");
        SDB_SYM(message_open_container, "sd_bus_message_open_container");
        SDB_SYM(message_close_container, "sd_bus_message_close_container");
        SDB_SYM(call, "sd_bus_call");
        SDB_SYM(error_free, "sd_bus_error_free");
#undef SDB_SYM
        handle = h;
        return 0;
}

static void bus_unrefp(sd_bus **b)
{
        if (*b)
                sdb.flush_close_unref(*b);
}

static void msg_unrefp(sd_bus_message **m)
{
        if (*m)
                sdb.message_unref(*m);
}

int cgroup_systemd_start_scope(const char *slice, const char *unit, struct berr *err)
{
        __attribute__((cleanup(bus_unrefp))) sd_bus *bus = NULL;
        __attribute__((cleanup(msg_unrefp))) sd_bus_message *m = NULL;
        __attribute__((cleanup(msg_unrefp))) sd_bus_message *reply = NULL;
        sd_bus_error error = SD_BUS_ERROR_NULL;
        char desc[256];
        int r;

        if (load_libsystemd(err) < 0)
                return err->status;
        r = sdb.open_system(&bus);
        if (r < 0)
                return berr_fail(err, r, "cgroup: connect to the system bus: %s", strerror(-r));
        r = sdb.message_new_method_call(bus, &m, "org.freedesktop.systemd1",
                                        "/org/freedesktop/systemd1",
                                        "org.freedesktop.systemd1.Manager", "StartTransientUnit");
        if (r < 0)
                goto fail;
        snprintf(desc, sizeof(desc), "berth container %s", unit);
        /* systemd refuses a scope without a process: berth itself goes in first */
        r = sdb.message_append(m, "ss", unit, "replace");
        if (r >= 0)
                r = sdb.message_open_container(m, 'a', "(sv)");
        if (r >= 0)
                r = sdb.message_append(m, "(sv)(sv)(sv)(sv)(sv)", "Description", "s", desc, "Slice",
                                       "s", slice, "Delegate", "b", 1, "DefaultDependencies", "b",
                                       0, "PIDs", "au", 1, (uint32_t)getpid());
        if (r >= 0)
                r = sdb.message_close_container(m);
        if (r >= 0)
                r = sdb.message_append(m, "a(sa(sv))", 0);
        if (r < 0)
                goto fail;
        r = sdb.call(bus, m, 0, &error, &reply);
        if (r < 0) {
                berr_fail(err, r, "cgroup: systemd StartTransientUnit %s in %s: %s", unit, slice,
                          error.message ? error.message : strerror(-r));
                sdb.error_free(&error);
                return err->status;
        }
        log_debug("cgroup: systemd scope %s in %s", unit, slice);
        return 0;
fail:
        return berr_fail(err, r, "cgroup: build the systemd D-Bus call: %s", strerror(-r));
}
