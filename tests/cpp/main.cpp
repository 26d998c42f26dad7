// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 The masterymap authors
// The doctest main lives alone so its slow translation unit compiles once.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>
