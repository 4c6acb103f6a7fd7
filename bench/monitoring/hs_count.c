/* Hyperscan peer for bench/monitoring/run.sh: compiles PHRASES (one literal per line) as
 * HS_FLAG_CASELESS literals (hs_compile_lit_multi, no SOM, no SINGLEMATCH) and counts every
 * (phrase, end offset) match over CORPUS, streamed in 1 MiB blocks cut at a line end, on one thread.
 * Prints matches, CPU seconds (CLOCK_THREAD_CPUTIME_ID) and wall seconds.
 * Build: gcc -O2 -o hs_count hs_count.c $(pkg-config --cflags --libs libhs)  (or -lhs) */
#define _GNU_SOURCE
#include <hs/hs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(clockid_t c) { struct timespec t; clock_gettime(c, &t); return t.tv_sec + t.tv_nsec / 1e9; }
static int on_match(unsigned int id, unsigned long long from, unsigned long long to, unsigned int flags, void *ctx)
{ (void)id; (void)from; (void)to; (void)flags; (*(unsigned long long *)ctx)++; return 0; }

int main(int argc, char **argv)
{
    if (argc != 3) { fprintf(stderr, "usage: hs_count PHRASES CORPUS\n"); return 2; }
    FILE *pf = fopen(argv[1], "r");
    if (!pf) { perror(argv[1]); return 2; }
    size_t cap = 1024, n = 0; char **pats = malloc(cap * sizeof *pats); size_t *lens = malloc(cap * sizeof *lens);
    char *line = NULL; size_t lcap = 0; ssize_t len;
    while ((len = getline(&line, &lcap, pf)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) len--;
        if (len == 0) continue;
        if (n == cap) { cap *= 2; pats = realloc(pats, cap * sizeof *pats); lens = realloc(lens, cap * sizeof *lens); }
        pats[n] = malloc(len); memcpy(pats[n], line, len); lens[n] = len; n++;
    }
    fclose(pf);
    unsigned *flags = malloc(n * sizeof *flags), *ids = malloc(n * sizeof *ids);
    for (size_t i = 0; i < n; i++) { flags[i] = HS_FLAG_CASELESS; ids[i] = (unsigned)i; }
    hs_database_t *db; hs_compile_error_t *err;
    double c0 = now(CLOCK_MONOTONIC);
    if (hs_compile_lit_multi((const char *const *)pats, flags, ids, lens, (unsigned)n, HS_MODE_BLOCK, NULL, &db, &err) != HS_SUCCESS) {
        fprintf(stderr, "hs_compile_lit_multi: %s\n", err->message); return 1;
    }
    double compile = now(CLOCK_MONOTONIC) - c0;
    hs_scratch_t *scratch = NULL;
    if (hs_alloc_scratch(db, &scratch) != HS_SUCCESS) { fprintf(stderr, "hs_alloc_scratch failed\n"); return 1; }
    FILE *cf = fopen(argv[2], "rb");
    if (!cf) { perror(argv[2]); return 2; }
    const size_t block = 1 << 20; char *buf = malloc(2 * block); size_t carry = 0, total = 0;
    unsigned long long matches = 0;
    double cpu0 = now(CLOCK_THREAD_CPUTIME_ID), wall0 = now(CLOCK_MONOTONIC);
    for (int guard = 0; guard < 10000000; guard++) {
        size_t got = fread(buf + carry, 1, block, cf), have = carry + got, cut = have;
        total += got;
        if (have == 0) break;
        if (got > 0) { while (cut > 0 && buf[cut - 1] != '\n') cut--; if (cut == 0) cut = have; }
        if (hs_scan(db, buf, (unsigned)cut, 0, scratch, on_match, &matches) != HS_SUCCESS) { fprintf(stderr, "hs_scan failed\n"); return 1; }
        carry = have - cut; memmove(buf, buf + cut, carry);
        if (got == 0 && carry == 0) break;
    }
    double cpu = now(CLOCK_THREAD_CPUTIME_ID) - cpu0, wall = now(CLOCK_MONOTONIC) - wall0;
    printf("phrases=%zu\tcompile_s=%.2f\tmatches=%llu\tcpu_s=%.3f\twall_s=%.3f\tcpu_mbps=%.1f\twall_mbps=%.1f\n",
           n, compile, matches, cpu, wall, total / 1e6 / cpu, total / 1e6 / wall);
    return 0;
}
