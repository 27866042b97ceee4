// Precompiled header for both test binaries.
#pragma once

#include "server/pch.hpp"

#include <catch2/catch.hpp>
