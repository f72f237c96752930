/* berth's own version and the OCI runtime-spec version it implements. */
#ifndef BERTH_VERSION_H
#define BERTH_VERSION_H

#ifndef BERTH_VERSION
#define BERTH_VERSION "0.1.0"
#endif
#define BERTH_OCI_SPEC_VERSION "1.2.1"

#endif
