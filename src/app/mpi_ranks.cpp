#include "mpi_ranks.hpp"

#include "reckon/util/number_format.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cstdlib>
#include <optional>
#include <string_view>
#include <vector>

#if RECKON_WITH_MPI
#include <mpi.h>
#endif

namespace reckon::app {
namespace {

// The first of the launchers' variables that is set and a number.
std::optional<std::size_t> environment_number(std::initializer_list<const char*> names) {
  for (const char* name : names) {
    if (const char* text = std::getenv(name); text != nullptr) {
      if (const auto number = util::parse_unsigned(text)) {
        return static_cast<std::size_t>(*number);
      }
    }
  }
  return std::nullopt;
}

#if RECKON_WITH_MPI

// A piece on the wire: one status byte (0 made, 1 failed), then the piece or the error's
// where and message separated by a NUL.
constexpr char k_made = 0;
constexpr char k_failed = 1;
constexpr int k_piece_tag = 17;

std::string encode(const util::Result<std::string>& made) {
  if (made) {
    return k_made + *made;
  }
  const util::Error& error = made.error();
  return std::string(1, k_failed) + static_cast<char>(error.code) + error.where + '\0' +
         error.message;
}

util::Result<std::string> decode(std::string_view message) {
  if (message.empty()) {
    return std::string();
  }
  if (message.front() == k_made) {
    return std::string(message.substr(1));
  }
  const std::size_t split = message.find('\0', 2);
  return util::make_error(static_cast<util::ErrorCode>(message[1]),
                          std::string(message.substr(2, split - 2)),
                          std::string(message.substr(split + 1)));
}

util::Result<std::string> receive(int source) {
  MPI_Status status{};
  MPI_Probe(source, k_piece_tag, MPI_COMM_WORLD, &status);
  int size = 0;
  MPI_Get_count(&status, MPI_CHAR, &size);
  std::vector<char> message(static_cast<std::size_t>(size));
  MPI_Recv(message.data(), size, MPI_CHAR, source, k_piece_tag, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
  return decode(std::string_view(message.data(), message.size()));
}

util::Result<void> gather_on_root(std::size_t count, std::size_t ranks, const MakePiece& make,
                                  const PutPiece& put) {
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t owner = i % ranks;
    util::Result<std::string> piece = owner == 0 ? make(i) : receive(static_cast<int>(owner));
    if (!piece) {
      return piece.error(); // leaving without MPI_Finalize makes mpirun stop the other ranks
    }
    if (auto put_done = put(*piece); !put_done) {
      return put_done;
    }
  }
  return {};
}

void send_from_rank(std::size_t count, std::size_t rank, std::size_t ranks, const MakePiece& make) {
  for (std::size_t i = rank; i < count; i += ranks) {
    const util::Result<std::string> made = make(i);
    std::string message = encode(made);
    // Synchronous: the rank waits until rank 0 takes the piece, so pieces never pile up.
    MPI_Ssend(message.data(), static_cast<int>(message.size()), MPI_CHAR, 0, k_piece_tag,
              MPI_COMM_WORLD);
    if (!made) {
      return;
    }
  }
}

#endif

} // namespace

LaunchPlace launch_place() {
  LaunchPlace place;
  place.ranks =
      environment_number({"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE", "SLURM_NTASKS"})
          .value_or(1);
  place.rank = environment_number({"OMPI_COMM_WORLD_RANK", "PMIX_RANK", "PMI_RANK", "SLURM_PROCID"})
                   .value_or(0);
  if (place.ranks == 0 || place.rank >= place.ranks) {
    return {};
  }
  return place;
}

std::string mpi_support() {
#if RECKON_WITH_MPI
  char version[MPI_MAX_LIBRARY_VERSION_STRING] = {};
  int length = 0;
  MPI_Get_library_version(version, &length);
  std::string text(version, static_cast<std::size_t>(length));
  return "MPI: " + text.substr(0, text.find_first_of(",\n"));
#else
  return "MPI: none (built without libopenmpi-dev; one process per job)";
#endif
}

util::Result<void> refuse_ranks_without_mpi(const LaunchPlace& place) {
#if RECKON_WITH_MPI
  static_cast<void>(place);
  return {};
#else
  if (place.ranks <= 1) {
    return {};
  }
  return util::make_error(util::ErrorCode::usage, "mpirun",
                          "this reckon was built without MPI, so its " +
                              std::to_string(place.ranks) +
                              " processes would each do the whole job; run one process, or "
                              "build with libopenmpi-dev installed");
#endif
}

void silence_other_ranks(const LaunchPlace& place) {
  if (place.rank == 0) {
    return;
  }
  const int null = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
  if (null >= 0) {
    ::dup2(null, STDOUT_FILENO);
    ::dup2(null, STDERR_FILENO);
    ::close(null);
  }
}

util::Result<void> share_pieces(std::size_t count, const MakePiece& make, const PutPiece& put) {
#if RECKON_WITH_MPI
  if (launch_place().ranks > 1) {
    int provided = 0;
    MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided);
    int rank = 0;
    int ranks = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &ranks);
    util::Result<void> outcome;
    if (rank == 0) {
      outcome = gather_on_root(count, static_cast<std::size_t>(ranks), make, put);
    } else {
      send_from_rank(count, static_cast<std::size_t>(rank), static_cast<std::size_t>(ranks), make);
    }
    if (outcome) {
      MPI_Finalize();
    }
    return outcome;
  }
#endif
  for (std::size_t i = 0; i < count; ++i) {
    util::Result<std::string> piece = make(i);
    if (!piece) {
      return piece.error();
    }
    if (auto put_done = put(*piece); !put_done) {
      return put_done;
    }
  }
  return {};
}

} // namespace reckon::app
