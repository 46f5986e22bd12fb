#pragma once

#include <ostream>

namespace reckon::app {

// Readies the process before the first command runs: a closed stdin, stdout or stderr is held
// by /dev/null opened read-only, so that no file we open later takes its number (output meant
// for stdout would land in it) and every write to it still fails as on a closed one; and
// SIGINT, SIGTERM and SIGHUP remove the temporaries of writes in flight (util/temporary_files).
void prepare_process();

// Flushes stdout as the program ends: a write that failed unreported (help, version) turns a
// success into exit 3 with a message naming stdout. Returns the exit code to end with.
int flush_stdout_at_exit(int exit_code, std::ostream& out, std::ostream& err);

} // namespace reckon::app
