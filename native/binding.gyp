{
  "targets": [
    {
      "target_name": "vigil_native",
      "sources": ["vigil_native.c"],
      "cflags": ["-O2", "-Wall", "-Wextra", "-Wno-unused-parameter", "-std=gnu11"],
      "ldflags": ["-s"]
    }
  ]
}
