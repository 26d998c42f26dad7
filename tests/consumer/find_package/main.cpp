// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
#include <masterymap/masterymap.hpp>

#include <iostream>

int main() {
  try {
    throw masterymap::unknown_id_error("X");
  } catch (const masterymap::error& e) {
    std::cout << e.what() << '\n';
  }
  return 0;
}
