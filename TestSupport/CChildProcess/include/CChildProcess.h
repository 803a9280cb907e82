// The two GNU calls the tests' child-process helper needs; Swift's Glibc module is built without
// _GNU_SOURCE, so <spawn.h> and <unistd.h> hide them.
#pragma once
#include <spawn.h>

/// pipe2(fds, O_CLOEXEC): both ends close-on-exec from the start.
int drillcal_pipe_cloexec(int fds[2]);

/// posix_spawn_file_actions_addclosefrom_np (glibc 2.34+): the child closes every descriptor >= from.
int drillcal_spawn_addclosefrom(posix_spawn_file_actions_t *actions, int from);
