/* Open-addressing hash set of path strings (FNV-1a, linear probing). */
#include "pathset.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t hash_path(const char *p, size_t len)
{
        uint64_t h = 1469598103934665603ull;
        for (size_t i = 0; i < len; i++) {
                h ^= (unsigned char)p[i];
                h *= 1099511628211ull;
        }
        return h;
}

static size_t find_slot(char **slots, size_t cap, const char *p, size_t len)
{
        size_t i = (size_t)hash_path(p, len) & (cap - 1);
        while (slots[i] && !(strncmp(slots[i], p, len) == 0 && slots[i][len] == '\0'))
                i = (i + 1) & (cap - 1);
        return i;
}

static int grow(struct pathset *s)
{
        size_t ncap = s->cap ? s->cap * 2 : 1024;
        char **n = calloc(ncap, sizeof(*n));

        if (!n)
                return -ENOMEM;
        for (size_t i = 0; i < s->cap; i++)
                if (s->slots[i])
                        n[find_slot(n, ncap, s->slots[i], strlen(s->slots[i]))] = s->slots[i];
        free(s->slots);
        s->slots = n;
        s->cap = ncap;
        return 0;
}

static int add_one(struct pathset *s, const char *p, size_t len)
{
        if ((s->count + 1) * 2 > s->cap) {
                int r = grow(s);
                if (r < 0)
                        return r;
        }
        size_t i = find_slot(s->slots, s->cap, p, len);
        if (s->slots[i])
                return 1;
        s->slots[i] = strndup(p, len);
        if (!s->slots[i])
                return -ENOMEM;
        s->count++;
        return 0;
}

int pathset_add(struct pathset *s, const char *path)
{
        size_t len = strlen(path);

        while (len > 0) {
                int r = add_one(s, path, len);
                if (r < 0)
                        return r;
                if (r == 1)
                        return 0; /* present, so are its ancestors */
                while (len > 0 && path[len - 1] != '/')
                        len--;
                if (len > 0)
                        len--;
        }
        return 0;
}

int pathset_add_exact(struct pathset *s, const char *path, size_t len)
{
        int r = add_one(s, path, len);
        return r < 0 ? r : 0;
}

bool pathset_has(const struct pathset *s, const char *path, size_t len)
{
        if (s->cap == 0)
                return false;
        return s->slots[find_slot(s->slots, s->cap, path, len)] != NULL;
}

void pathset_clear(struct pathset *s)
{
        for (size_t i = 0; i < s->cap; i++)
                free(s->slots[i]);
        free(s->slots);
        s->slots = NULL;
        s->cap = 0;
        s->count = 0;
}
