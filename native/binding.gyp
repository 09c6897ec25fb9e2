{
  "targets": [
    {
      "target_name": "vigil_native",
      "sources": ["vigil_native.c"],
      "cflags!": ["-O3"],
      "cflags": ["-Os", "-Wall", "-Wextra", "-Wno-unused-parameter", "-std=gnu11"],
      "ldflags": ["-s", "-Wl,-z,noseparate-code"]
    }
  ]
}
