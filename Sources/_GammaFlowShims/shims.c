// The shims are header-only static inline functions; SwiftPM needs a source file per C target.
#include "_GammaFlowShims.h"
