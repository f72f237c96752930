/* Helpers shared by the test helper's applets. */
#ifndef BERTH_TESTHELPER_UTIL_H
#define BERTH_TESTHELPER_UTIL_H

/* Print PATH (only lines starting with PREFIX when not NULL); 1 on error. */
int print_file(const char *path, const char *prefix);

#endif
