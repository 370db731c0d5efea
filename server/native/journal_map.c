/*
 * A shared, writable memory mapping of the relay's update journal (server/store/update-journal.ts).
 *
 * Why: with the journal mapped, making an accepted update durable is a copy into the page cache,
 * not a write(2) per relay tick (10-35 us of system time per edit on the benchmark VMs, about 5 %
 * of the relay's CPU per edit; docs/benchmarks.md). The durability is the same as write(2)
 * without fsync: the pages belong to the file, so a killed process loses nothing.
 *
 * Two functions, Linux only (elsewhere the journal writes with pwrite(2)):
 *   allocate(fd, length)  posix_fallocate: the file's blocks exist before they are mapped, so a
 *                         full disk is an error here, at open, and never a SIGBUS mid-copy.
 *   map(fd, length)       an ArrayBuffer over a MAP_SHARED, read-write mapping of the file's first
 *                         `length` bytes; unmapped when the ArrayBuffer is garbage collected.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <node_api.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

static napi_value throw_errno(napi_env env, const char *call, int error) {
  char message[160];
  snprintf(message, sizeof message, "%s: %s (errno %d)", call, strerror(error), error);
  napi_throw_error(env, NULL, message);
  return NULL;
}

static int read_args(napi_env env, napi_callback_info info, int32_t *fd, int64_t *length) {
  size_t argc = 2;
  napi_value argv[2];
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < 2 ||
      napi_get_value_int32(env, argv[0], fd) != napi_ok || napi_get_value_int64(env, argv[1], length) != napi_ok ||
      *fd < 0 || *length <= 0) {
    napi_throw_type_error(env, NULL, "expected (fd, length) with fd >= 0 and length > 0");
    return 0;
  }
  return 1;
}

static napi_value Allocate(napi_env env, napi_callback_info info) {
  int32_t fd;
  int64_t length;
  if (!read_args(env, info, &fd, &length)) return NULL;
  int error = posix_fallocate(fd, 0, (off_t)length);
  if (error != 0) return throw_errno(env, "posix_fallocate", error);
  return NULL;
}

static void unmap(napi_env env, void *data, void *hint) {
  (void)env;
  munmap(data, (size_t)(uintptr_t)hint);
}

static napi_value Map(napi_env env, napi_callback_info info) {
  int32_t fd;
  int64_t length;
  if (!read_args(env, info, &fd, &length)) return NULL;
  void *address = mmap(NULL, (size_t)length, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
  if (address == MAP_FAILED) return throw_errno(env, "mmap", errno);
  napi_value buffer;
  if (napi_create_external_arraybuffer(env, address, (size_t)length, unmap, (void *)(uintptr_t)length, &buffer) != napi_ok) {
    munmap(address, (size_t)length);
    napi_throw_error(env, NULL, "could not wrap the mapping in an ArrayBuffer");
    return NULL;
  }
  return buffer;
}

static napi_value Init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"allocate", NULL, Allocate, NULL, NULL, NULL, napi_default, NULL},
      {"map", NULL, Map, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, Init)
