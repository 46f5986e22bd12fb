#include "reckon/app/process.hpp"

#include "analysis_run.hpp"

#include "reckon/app/run.hpp"
#include "reckon/util/temporary_files.hpp"

#include <cerrno>

#include <fcntl.h>
#include <unistd.h>

namespace reckon::app {

void prepare_process() {
  // open() returns the lowest free number, so in this order each closed one is filled in turn.
  for (int fd = 0; fd <= 2; ++fd) {
    if (::fcntl(fd, F_GETFD) == -1 && errno == EBADF) {
      const int held = ::open("/dev/null", O_RDONLY);
      if (held >= 0 && held != fd) {
        ::close(held);
      }
    }
  }
  util::remove_temporaries_on_signals();
}

int flush_stdout_at_exit(int exit_code, std::ostream& out, std::ostream& err) {
  errno = 0;
  const util::Result<void> flushed = flush_stdout(out);
  if (flushed || exit_code != k_exit_success) {
    return exit_code;
  }
  err << "reckon: " << flushed.error().describe() << '\n';
  return k_exit_bad_input;
}

} // namespace reckon::app
