#include "reckon/app/process.hpp"
#include "reckon/app/run.hpp"

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  reckon::app::prepare_process();
  const std::vector<std::string> args(argv, argv + argc);
  return reckon::app::flush_stdout_at_exit(reckon::app::run(args, std::cout, std::cerr), std::cout,
                                           std::cerr);
}
