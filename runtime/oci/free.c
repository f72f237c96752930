/* Releasing a parsed config: every allocation of struct oci_config and
 * struct oci_process, safe on partially filled structs (parse errors). */
#include <stdlib.h>

#include "parse.h"

void oci_strv_clear(struct oci_strv *v)
{
        for (size_t i = 0; i < v->len; i++)
                free(v->items[i]);
        free(v->items);
        v->items = NULL;
        v->len = 0;
}

void oci_kv_list_clear(struct oci_kv_list *l)
{
        for (size_t i = 0; i < l->len; i++) {
                free(l->items[i].key);
                free(l->items[i].value);
        }
        free(l->items);
        l->items = NULL;
        l->len = 0;
}

void oci_process_clear(struct oci_process *p)
{
        free(p->user.additional_gids);
        free(p->user.username);
        oci_strv_clear(&p->args);
        oci_strv_clear(&p->env);
        free(p->cwd);
        for (size_t i = 0; i < p->n_rlimits; i++)
                free(p->rlimits[i].type);
        free(p->rlimits);
        free(p->apparmor_profile);
        free(p->selinux_label);
        free(p->exec_cpu_affinity.initial);
        free(p->exec_cpu_affinity.final);
}

void oci_process_free(struct oci_process *p)
{
        if (!p)
                return;
        oci_process_clear(p);
        free(p);
}

void oci_resources_clear(struct oci_resources *r)
{
        free(r->devices);
        free(r->cpu.cpus);
        free(r->cpu.mems);
        free(r->block_io.weight_device);
        free(r->block_io.throttle_read_bps.items);
        free(r->block_io.throttle_write_bps.items);
        free(r->block_io.throttle_read_iops.items);
        free(r->block_io.throttle_write_iops.items);
        for (size_t i = 0; i < r->n_hugepage_limits; i++)
                free(r->hugepage_limits[i].page_size);
        free(r->hugepage_limits);
        for (size_t i = 0; i < r->network.n_priorities; i++)
                free(r->network.priorities[i].name);
        free(r->network.priorities);
        for (size_t i = 0; i < r->n_rdma; i++)
                free(r->rdma[i].device);
        free(r->rdma);
        oci_kv_list_clear(&r->unified);
}

void oci_seccomp_free(struct oci_seccomp *sc)
{
        if (!sc)
                return;
        oci_strv_clear(&sc->architectures);
        free(sc->listener_path);
        free(sc->listener_metadata);
        for (size_t i = 0; i < sc->n_syscalls; i++) {
                oci_strv_clear(&sc->syscalls[i].names);
                free(sc->syscalls[i].args);
        }
        free(sc->syscalls);
        free(sc->json);
        free(sc);
}

void oci_linux_clear(struct oci_linux *l)
{
        for (size_t i = 0; i < l->n_namespaces; i++)
                free(l->namespaces[i].path);
        free(l->namespaces);
        free(l->uid_mappings.items);
        free(l->gid_mappings.items);
        for (size_t i = 0; i < l->n_devices; i++)
                free(l->devices[i].path);
        free(l->devices);
        free(l->cgroups_path);
        oci_resources_clear(&l->resources);
        oci_strv_clear(&l->masked_paths);
        oci_strv_clear(&l->readonly_paths);
        free(l->mount_label);
        oci_seccomp_free(l->seccomp);
        oci_kv_list_clear(&l->sysctl);
        oci_strv_clear(&l->personality.flags);
        free(l->intel_rdt.clos_id);
        free(l->intel_rdt.l3_cache_schema);
        free(l->intel_rdt.mem_bw_schema);
        free(l->memory_policy.nodes);
}

static void hook_clear(struct oci_hook *h)
{
        free(h->path);
        oci_strv_clear(&h->args);
        oci_strv_clear(&h->env);
}

void oci_config_free(struct oci_config *cfg)
{
        if (!cfg)
                return;
        free(cfg->oci_version);
        free(cfg->root.path);
        oci_process_free(cfg->process);
        free(cfg->hostname);
        free(cfg->domainname);
        for (size_t i = 0; i < cfg->n_mounts; i++) {
                struct oci_mount *m = &cfg->mounts[i];
                free(m->destination);
                free(m->type);
                free(m->source);
                oci_strv_clear(&m->options);
                free(m->parsed.data);
                free(m->uid_mappings.items);
                free(m->gid_mappings.items);
        }
        free(cfg->mounts);
        for (int k = 0; k < OCI_HOOK_COUNT; k++) {
                for (size_t i = 0; i < cfg->hooks[k].len; i++)
                        hook_clear(&cfg->hooks[k].items[i]);
                free(cfg->hooks[k].items);
        }
        oci_kv_list_clear(&cfg->annotations);
        oci_linux_clear(&cfg->lnx);
        free(cfg);
}
