"""Builds masterymap._core with CMake (the pybind11 cmake_example pattern).

The repository root (two levels up) is the CMake project; only the Python module target is
built, with tests, examples and benchmarks off.
"""
import os
import pathlib
import subprocess
import sys

from setuptools import Extension, setup
from setuptools.command.build_ext import build_ext

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]


class CMakeExtension(Extension):
    def __init__(self, name):
        super().__init__(name, sources=[])


class CMakeBuild(build_ext):
    def build_extension(self, ext):
        out = pathlib.Path(self.get_ext_fullpath(ext.name)).resolve().parent
        # The module lands in <out>/masterymap/_core...so; MASTERYMAP_PYTHON_BUILD_DIR is the
        # package root, i.e. the parent of the masterymap folder.
        pkg_root = out.parent if out.name == "masterymap" else out
        build_temp = pathlib.Path(self.build_temp).resolve() / "cmake"
        build_temp.mkdir(parents=True, exist_ok=True)
        cfg = "Release"
        subprocess.run([
            "cmake", "-S", str(ROOT), "-B", str(build_temp),
            f"-DCMAKE_BUILD_TYPE={cfg}", f"-DPython_EXECUTABLE={sys.executable}",
            "-DMASTERYMAP_BUILD_TESTS=OFF", "-DMASTERYMAP_BUILD_EXAMPLES=OFF",
            "-DMASTERYMAP_BUILD_BENCHMARKS=OFF", "-DMASTERYMAP_INSTALL=OFF",
            "-DMASTERYMAP_BUILD_PYTHON=ON", "-DMASTERYMAP_MAIN_PROJECT=ON",
            f"-DMASTERYMAP_PYTHON_BUILD_DIR={pkg_root}",
        ], check=True)
        jobs = os.environ.get("CMAKE_BUILD_PARALLEL_LEVEL", str(os.cpu_count() or 2))
        subprocess.run(["cmake", "--build", str(build_temp), "--target", "masterymap_python",
                        "-j", jobs], check=True)


setup(
    ext_modules=[CMakeExtension("masterymap._core")],
    cmdclass={"build_ext": CMakeBuild},
    package_dir={"masterymap": "masterymap"},
)
