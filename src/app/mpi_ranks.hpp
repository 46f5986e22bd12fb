#pragma once

#include "reckon/util/result.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace reckon::app {

// How the processes of one job share its experiments: one process alone, or the ranks of an
// MPI job that mpirun or Slurm's srun launched (SPEC §5). All MPI calls of Reckon are here.

// Where the launcher put this process, read from its environment (Open MPI's, PMIx's or
// Slurm's variables): rank 0 of 1 when nothing launched it.
struct LaunchPlace {
  std::size_t rank = 0;
  std::size_t ranks = 1;
};
LaunchPlace launch_place();

// Whether this build joins MPI jobs, for `reckon --version`: "Open MPI v4.1.4" or "without
// MPI (built without libopenmpi-dev)".
std::string mpi_support();

// A usage error when several processes were launched but this build cannot share the work
// among them (each would do the whole job and write the same output).
util::Result<void> refuse_ranks_without_mpi(const LaunchPlace& place);

// Sends the stdout and stderr of every rank but rank 0 to /dev/null: rank 0 speaks for the job
// (each rank checks the same input, so each would print the same errors).
void silence_other_ranks(const LaunchPlace& place);

using MakePiece = std::function<util::Result<std::string>(std::size_t index)>;
using PutPiece = std::function<util::Result<void>(std::string_view piece)>;

// Makes the pieces 0 .. count - 1 and puts them in index order. Alone, each is made and put
// in turn. In an MPI job rank r makes those whose index % ranks == r and sends each to rank 0
// as soon as it is made, waiting until rank 0 takes it (so that no rank holds more than one
// piece); rank 0 puts all of them, its own and the received ones, in order. Only rank 0 calls
// `put`. The first failed make or put is the outcome on rank 0.
util::Result<void> share_pieces(std::size_t count, const MakePiece& make, const PutPiece& put);

} // namespace reckon::app
