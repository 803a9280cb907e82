/* glibc's allocator controls (mallopt, mallinfo2): <malloc.h> is not part of Swift's Glibc module. */
#include <malloc.h>
