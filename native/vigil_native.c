/*
 * vigil_native: the few syscalls Node does not expose, and nothing else.
 *
 * - waitpid(pid, WNOHANG) for ONE pid. Never waitpid(-1): libuv reaps the
 *   children of child_process pid by pid and silently loses an exit that
 *   somebody else reaped first (libuv src/unix/process.c, ECHILD branch).
 *   peekExited (waitid WNOWAIT) names an exited child without reaping it,
 *   and isSpawning tells the child of an async spawn from an orphan.
 * - prctl(PR_SET_CHILD_SUBREAPER), so orphans come to vigil when it is not PID 1.
 * - setrlimit, for supervisord's minfds/minprocs.
 * - lookupUser: getpwnam_r + getgrouplist, done in the parent because neither
 *   is async-signal-safe and so cannot run between fork and exec.
 * - spawn: fork + exec with what child_process cannot do: setpgid without a new
 *   session, tcsetpgrp in the child before exec (tini's isolate_child), umask,
 *   and supplementary groups (libuv calls setgroups(0, NULL)); fds from 3 up
 *   closed and the directory changed as the user, as supervisord. An exec
 *   failure travels back to the parent as {stage, errno} through a
 *   close-on-exec pipe.
 * - splitLines and prefixLines: the two per-line loops of prefixed console
 *   output (find each '\n', copy prefix + line + '\n'), as memchr and memcpy.
 *   In JavaScript, one builtin call or more per line made them most of the
 *   cost of a fast program's output (BENCHMARKS.md, "Issue 14, third pass").
 *   What a line is (cut at maxLine, held partial lines, timers) stays in
 *   output/line-splitter.ts; these only run its inner loop.
 * - Builds against glibc and musl (no strerrorname_np: see errno_name).
 *
 * All policy (what to spawn, when to reap, what an exit means) is TypeScript.
 */
#define _GNU_SOURCE
#include <node_api.h>

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sched.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#define CHECK(call)                                                            \
  do {                                                                         \
    if ((call) != napi_ok) {                                                   \
      napi_throw_error(env, "EVIGILNAPI", "N-API call failed: " #call);        \
      return NULL;                                                             \
    }                                                                          \
  } while (0)

/* errno's symbolic name. Not strerrorname_np: that is glibc 2.32+ only, and
 * the addon must also build against musl (Alpine). The errors a spawn, a
 * wait or a limit can meet; anything else is EUNKNOWN with its number in
 * .errno. */
static const char *errno_name(int err) {
  switch (err) {
#define NAME(e) case e: return #e;
    NAME(EPERM) NAME(ENOENT) NAME(ESRCH) NAME(EINTR) NAME(EIO) NAME(ENXIO) NAME(E2BIG)
    NAME(ENOEXEC) NAME(EBADF) NAME(ECHILD) NAME(EAGAIN) NAME(ENOMEM) NAME(EACCES)
    NAME(EFAULT) NAME(EBUSY) NAME(EEXIST) NAME(ENODEV) NAME(ENOTDIR) NAME(EISDIR)
    NAME(EINVAL) NAME(ENFILE) NAME(EMFILE) NAME(ENOTTY) NAME(ETXTBSY) NAME(EFBIG)
    NAME(ENOSPC) NAME(EROFS) NAME(EMLINK) NAME(EPIPE) NAME(ERANGE) NAME(ENAMETOOLONG)
    NAME(ENOSYS) NAME(ELOOP) NAME(ENOTSUP) NAME(ELIBBAD) NAME(EOVERFLOW)
#undef NAME
    default: return "EUNKNOWN";
  }
}

/* Throws an Error carrying errno's name as .code, the failing step as .syscall. */
static napi_value throw_errno(napi_env env, int err, const char *syscall) {
  char message[256];
  snprintf(message, sizeof message, "%s failed: %s", syscall, strerror(err));
  napi_value msg, error, code, errno_value, syscall_value;
  napi_create_string_utf8(env, message, NAPI_AUTO_LENGTH, &msg);
  napi_create_error(env, NULL, msg, &error);
  napi_create_string_utf8(env, errno_name(err), NAPI_AUTO_LENGTH, &code);
  napi_create_int32(env, err, &errno_value);
  napi_create_string_utf8(env, syscall, NAPI_AUTO_LENGTH, &syscall_value);
  napi_set_named_property(env, error, "code", code);
  napi_set_named_property(env, error, "errno", errno_value);
  napi_set_named_property(env, error, "syscall", syscall_value);
  napi_throw(env, error);
  return NULL;
}

static int get_int_arg(napi_env env, napi_value value, int64_t *out) {
  return napi_get_value_int64(env, value, out) == napi_ok ? 0 : -1;
}

/* waitpid(pid, WNOHANG): undefined while running, null when not our child
 * (ECHILD), else {code} or {signal}. */
static napi_value js_waitpid(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int64_t pid;
  if (argc < 1 || get_int_arg(env, argv[0], &pid) != 0 || pid <= 0) {
    napi_throw_type_error(env, "EINVAL", "waitpid: pid must be a positive integer");
    return NULL;
  }
  int status = 0;
  pid_t got;
  do {
    got = waitpid((pid_t)pid, &status, WNOHANG);
  } while (got < 0 && errno == EINTR);
  napi_value result;
  if (got == 0) {
    napi_get_undefined(env, &result);
    return result;
  }
  if (got < 0) {
    if (errno == ECHILD) { /* not our child, or already reaped: expected */
      napi_get_null(env, &result);
      return result;
    }
    return throw_errno(env, errno, "waitpid");
  }
  napi_value number;
  CHECK(napi_create_object(env, &result));
  if (WIFEXITED(status)) {
    napi_create_int32(env, WEXITSTATUS(status), &number);
    napi_set_named_property(env, result, "code", number);
  } else if (WIFSIGNALED(status)) {
    napi_create_int32(env, WTERMSIG(status), &number);
    napi_set_named_property(env, result, "signal", number);
  }
  return result;
}

/* peekExited() -> pid of a child that has exited (still a zombie: WNOWAIT
 * leaves it to waitpid), or 0 when none has. One syscall instead of listing
 * /proc and trying every child: the reaper decides whether it may reap it. */
static napi_value js_peek_exited(napi_env env, napi_callback_info info) {
  siginfo_t si;
  int rc;
  do {
    memset(&si, 0, sizeof si);
    rc = waitid(P_ALL, 0, &si, WEXITED | WNOHANG | WNOWAIT);
  } while (rc < 0 && errno == EINTR);
  if (rc < 0 && errno != ECHILD) return throw_errno(env, errno, "waitid");
  napi_value result;
  napi_create_int32(env, rc < 0 ? 0 : si.si_pid, &result);
  return result;
}

/* isatty(fd): what node:tty answers, without loading node:tty (which loads
 * node:net and node:stream: a third of init mode's start-up). */
static napi_value js_isatty(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int64_t fd = -1;
  if (argc < 1 || get_int_arg(env, argv[0], &fd) != 0) fd = -1;
  napi_value result;
  napi_get_boolean(env, fd >= 0 && fd <= INT32_MAX && isatty((int)fd) == 1, &result);
  return result;
}

static napi_value js_set_child_subreaper(napi_env env, napi_callback_info info) {
  if (prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0) {
    return throw_errno(env, errno, "prctl(PR_SET_CHILD_SUBREAPER)");
  }
  napi_value result;
  napi_get_boolean(env, true, &result);
  return result;
}

/* setrlimit(resource, soft, hard); resource: "nofile" | "nproc". */
static napi_value js_setrlimit(napi_env env, napi_callback_info info) {
  size_t argc = 3;
  napi_value argv[3];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char name[16] = {0};
  size_t len;
  int64_t soft, hard;
  if (argc < 3 ||
      napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len) != napi_ok ||
      get_int_arg(env, argv[1], &soft) || get_int_arg(env, argv[2], &hard)) {
    napi_throw_type_error(env, "EINVAL", "setrlimit(resource, soft, hard)");
    return NULL;
  }
  int resource;
  if (strcmp(name, "nofile") == 0) resource = RLIMIT_NOFILE;
  else if (strcmp(name, "nproc") == 0) resource = RLIMIT_NPROC;
  else {
    napi_throw_type_error(env, "EINVAL", "setrlimit: resource must be nofile or nproc");
    return NULL;
  }
  struct rlimit limit = {(rlim_t)soft, (rlim_t)hard};
  if (setrlimit(resource, &limit) != 0) return throw_errno(env, errno, "setrlimit");
  napi_value result;
  napi_get_undefined(env, &result);
  return result;
}

/* getrlimit(resource) -> [soft, hard] */
static napi_value js_getrlimit(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char name[16] = {0};
  size_t len;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", "getrlimit(resource)");
    return NULL;
  }
  int resource;
  if (strcmp(name, "nofile") == 0) resource = RLIMIT_NOFILE;
  else if (strcmp(name, "nproc") == 0) resource = RLIMIT_NPROC;
  else {
    napi_throw_type_error(env, "EINVAL", "getrlimit: resource must be nofile or nproc");
    return NULL;
  }
  struct rlimit limit;
  if (getrlimit(resource, &limit) != 0) return throw_errno(env, errno, "getrlimit");
  napi_value result, soft, hard;
  napi_create_array_with_length(env, 2, &result);
  napi_create_double(env, limit.rlim_cur == RLIM_INFINITY ? -1 : (double)limit.rlim_cur, &soft);
  napi_create_double(env, limit.rlim_max == RLIM_INFINITY ? -1 : (double)limit.rlim_max, &hard);
  napi_set_element(env, result, 0, soft);
  napi_set_element(env, result, 1, hard);
  return result;
}

/* lookupUser(nameOrUid) -> {name, uid, gid, home, groups[]} or null. */
static napi_value js_lookup_user(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  char name[256] = {0};
  size_t len;
  if (argc < 1 || napi_get_value_string_utf8(env, argv[0], name, sizeof name, &len) != napi_ok) {
    napi_throw_type_error(env, "EINVAL", "lookupUser(name)");
    return NULL;
  }
  struct passwd pwd, *found = NULL;
  char buf[16384];
  char *end;
  long numeric = strtol(name, &end, 10);
  int rc;
  if (len > 0 && *end == '\0') rc = getpwuid_r((uid_t)numeric, &pwd, buf, sizeof buf, &found);
  else rc = getpwnam_r(name, &pwd, buf, sizeof buf, &found);
  napi_value result;
  if (rc != 0 || found == NULL) {
    napi_get_null(env, &result);
    return result;
  }
  /* getgrouplist says how many there are when the list is too short: grow it
   * (a user may be in more than any fixed guess; the kernel allows 65536). */
  int ngroups = 64;
  gid_t *groups = NULL;
  for (;;) {
    gid_t *grown = realloc(groups, (size_t)ngroups * sizeof(gid_t));
    if (!grown) { free(groups); return throw_errno(env, ENOMEM, "getgrouplist"); }
    groups = grown;
    int capacity = ngroups;
    if (getgrouplist(pwd.pw_name, pwd.pw_gid, groups, &ngroups) >= 0) break;
    /* glibc sets ngroups to the count needed; otherwise double it. */
    if (ngroups <= capacity) ngroups = capacity * 2;
    if (ngroups > 4 * 65536) { /* beyond the kernel's NGROUPS_MAX: refuse */
      free(groups);
      napi_throw_error(env, "EVIGILGROUPS", "getgrouplist: more groups than the kernel allows");
      return NULL;
    }
  }
  napi_value value, list;
  if (napi_create_object(env, &result) != napi_ok) {
    free(groups);
    napi_throw_error(env, "EVIGILNAPI", "N-API call failed: napi_create_object");
    return NULL;
  }
  napi_create_string_utf8(env, pwd.pw_name, NAPI_AUTO_LENGTH, &value);
  napi_set_named_property(env, result, "name", value);
  napi_create_uint32(env, pwd.pw_uid, &value);
  napi_set_named_property(env, result, "uid", value);
  napi_create_uint32(env, pwd.pw_gid, &value);
  napi_set_named_property(env, result, "gid", value);
  napi_create_string_utf8(env, pwd.pw_dir ? pwd.pw_dir : "/", NAPI_AUTO_LENGTH, &value);
  napi_set_named_property(env, result, "home", value);
  napi_create_array_with_length(env, (size_t)ngroups, &list);
  for (int i = 0; i < ngroups; i++) {
    napi_create_uint32(env, groups[i], &value);
    napi_set_element(env, list, (uint32_t)i, value);
  }
  free(groups);
  napi_set_named_property(env, result, "groups", list);
  return result;
}

/* ---- spawn ---------------------------------------------------------------- */

/* Capacity asked for the stdout/stderr pipes of supervised programs. */
#define PIPE_BYTES (256 * 1024)

enum stdio_kind { STDIO_INHERIT, STDIO_NULL, STDIO_PIPE, STDIO_SAME_AS_STDOUT };

typedef struct {
  char *file;
  char **argv;
  char **envp;
  char *cwd;
  int umask_value;  /* -1: leave */
  int64_t uid, gid; /* -1: leave */
  gid_t *groups;
  int ngroups;      /* -1: leave */
  int new_pgroup;
  int foreground;   /* tcsetpgrp(0) in the child */
  enum stdio_kind stdio[3];
  /* spawnAsync only: where the child writes its own pid first thing, so the
   * reaper can tell it from an orphan before JavaScript learns the pid. */
  volatile pid_t *announce;
} spawn_request;

typedef struct {
  int stage;
  int err;
} child_failure;

enum { STAGE_SETPGID = 1, STAGE_TCSETPGRP, STAGE_STDIO, STAGE_UMASK, STAGE_CHDIR,
       STAGE_SETGROUPS, STAGE_SETGID, STAGE_SETUID, STAGE_EXEC };

static const char *stage_name(int stage) {
  switch (stage) {
    case STAGE_SETPGID: return "setpgid";
    case STAGE_TCSETPGRP: return "tcsetpgrp";
    case STAGE_STDIO: return "dup2";
    case STAGE_UMASK: return "umask";
    case STAGE_CHDIR: return "chdir";
    case STAGE_SETGROUPS: return "setgroups";
    case STAGE_SETGID: return "setgid";
    case STAGE_SETUID: return "setuid";
    default: return "execve";
  }
}

static void free_strv(char **strv) {
  if (!strv) return;
  for (char **p = strv; *p; p++) free(*p);
  free(strv);
}

static char *get_string(napi_env env, napi_value value) {
  size_t len;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok) return NULL;
  char *out = malloc(len + 1);
  if (!out) return NULL;
  napi_get_value_string_utf8(env, value, out, len + 1, &len);
  return out;
}

static char **get_strv(napi_env env, napi_value array) {
  uint32_t n;
  if (napi_get_array_length(env, array, &n) != napi_ok) return NULL;
  char **out = calloc(n + 1, sizeof(char *));
  if (!out) return NULL;
  for (uint32_t i = 0; i < n; i++) {
    napi_value item;
    napi_get_element(env, array, i, &item);
    out[i] = get_string(env, item);
    if (!out[i]) { free_strv(out); return NULL; }
  }
  return out;
}

/* "K1=v1\0K2=v2" -> {"K1=v1", "K2=v2", NULL}: one string to convert instead
 * of one per variable (a hundred programs with forty variables each). */
static char **get_strv_block(napi_env env, napi_value value) {
  size_t len;
  if (napi_get_value_string_utf8(env, value, NULL, 0, &len) != napi_ok) return NULL;
  char *block = malloc(len + 1);
  if (!block) return NULL;
  napi_get_value_string_utf8(env, value, block, len + 1, &len);
  size_t count = 1;
  for (size_t i = 0; i < len; i++)
    if (block[i] == '\0') count++;
  char **out = calloc(count + 1, sizeof(char *));
  if (!out) { free(block); return NULL; }
  size_t n = 0, start = 0;
  for (size_t i = 0; i <= len; i++) {
    if (i < len && block[i] != '\0') continue;
    if (i > start) {
      out[n] = malloc(i - start + 1);
      if (!out[n]) { free(block); free_strv(out); return NULL; }
      memcpy(out[n], block + start, i - start);
      out[n][i - start] = '\0';
      n++;
    }
    start = i + 1;
  }
  free(block);
  return out;
}

static int has_prop(napi_env env, napi_value obj, const char *key, napi_value *out) {
  bool has = false;
  if (napi_has_named_property(env, obj, key, &has) != napi_ok || !has) return 0;
  napi_get_named_property(env, obj, key, out);
  napi_valuetype type;
  napi_typeof(env, *out, &type);
  return type != napi_undefined && type != napi_null;
}

/* Closes every fd from 3 up except `keep` (the exec-error pipe, close-on-exec
 * itself), in the child: a program must not inherit what vigil inherited
 * without close-on-exec (supervisord closes 3..minfds the same way). One
 * close_range (Linux 5.9+) when it exists, else a loop up to the fd limit. */
static void close_inherited_fds(int keep) {
#ifdef SYS_close_range
  int ok = 1;
  if (keep > 3 && syscall(SYS_close_range, 3u, (unsigned)keep - 1, 0u) != 0) ok = 0;
  if (ok && syscall(SYS_close_range, (unsigned)keep + 1, ~0u, 0u) == 0) return;
#endif
  struct rlimit limit;
  long max = 65536;
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) max = (long)limit.rlim_cur;
  for (long fd = 3; fd < max; fd++)
    if (fd != keep) close((int)fd);
}

/* Runs in the forked child: only async-signal-safe calls from here to exec. */
static void child_exec(const spawn_request *req, int pipes[3][2], int err_fd,
                       const sigset_t *empty_mask) {
  child_failure failure = {0, 0};
  /* Before anything can fail (and the child exit): see js_is_spawning. */
  if (req->announce) __atomic_store_n(req->announce, (pid_t)syscall(SYS_getpid), __ATOMIC_SEQ_CST);
  /* Node installed handlers in the parent; they must not run here. */
  struct sigaction dfl;
  memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  for (int sig = 1; sig < NSIG; sig++) {
    if (sig == SIGKILL || sig == SIGSTOP) continue;
    sigaction(sig, &dfl, NULL); /* EINVAL for glibc-reserved RT signals: fine */
  }
  if (req->new_pgroup && setpgid(0, 0) != 0) { failure.stage = STAGE_SETPGID; goto fail; }
  /* SIGTTOU is still blocked (the parent blocked everything before fork), so a
   * background tcsetpgrp cannot stop us. ENOTTY/ENXIO: no terminal, as tini. */
  if (req->foreground && tcsetpgrp(STDIN_FILENO, getpgrp()) != 0 && errno != ENOTTY &&
      errno != ENXIO) {
    failure.stage = STAGE_TCSETPGRP;
    goto fail;
  }
  for (int fd = 0; fd < 3; fd++) {
    int source = -1;
    switch (req->stdio[fd]) {
      /* Node opens/marks its own stdio close-on-exec: clear it to inherit. */
      case STDIO_INHERIT: source = fd; break;
      case STDIO_NULL:
        source = open("/dev/null", fd == 0 ? O_RDONLY : O_WRONLY);
        if (source < 0) { failure.stage = STAGE_STDIO; goto fail; }
        break;
      case STDIO_PIPE: source = fd == 0 ? pipes[0][0] : pipes[fd][1]; break;
      case STDIO_SAME_AS_STDOUT: source = STDOUT_FILENO; break;
    }
    if (source == fd) {
      int flags = fcntl(fd, F_GETFD);
      if (flags >= 0) fcntl(fd, F_SETFD, flags & ~FD_CLOEXEC);
    } else if (dup2(source, fd) < 0) {
      failure.stage = STAGE_STDIO;
      goto fail;
    }
  }
  if (req->umask_value >= 0) umask((mode_t)req->umask_value);
  /* Raw syscalls: glibc's setuid() & co. broadcast the change to every thread
   * of the process it believes it is in (SIGSETXID), and this child shares
   * the parent's memory, thread list included (CLONE_VM). */
  if (req->ngroups >= 0 && syscall(SYS_setgroups, (size_t)req->ngroups, req->groups) != 0) {
    failure.stage = STAGE_SETGROUPS;
    goto fail;
  }
  if (req->gid >= 0 && syscall(SYS_setgid, (gid_t)req->gid) != 0) { failure.stage = STAGE_SETGID; goto fail; }
  if (req->uid >= 0 && syscall(SYS_setuid, (uid_t)req->uid) != 0) { failure.stage = STAGE_SETUID; goto fail; }
  /* As the user, like supervisord: root must not reach a directory for a
   * program that could not reach it itself (user=daemon directory=/root). */
  if (req->cwd && chdir(req->cwd) != 0) { failure.stage = STAGE_CHDIR; goto fail; }
  close_inherited_fds(err_fd);
  sigprocmask(SIG_SETMASK, empty_mask, NULL);
  execve(req->file, req->argv, req->envp);
  failure.stage = STAGE_EXEC;
fail:
  failure.err = errno;
  while (write(err_fd, &failure, sizeof failure) < 0 && errno == EINTR) {
  }
  _exit(127);
}

typedef struct {
  const spawn_request *req;
  int (*pipes)[2];
  int err_fd;
  const sigset_t *empty_mask;
} child_args;

static int child_entry(void *arg) {
  child_args *args = arg;
  child_exec(args->req, args->pipes, args->err_fd, args->empty_mask);
  return 127; /* not reached: child_exec execs or _exits */
}

/* Like posix_spawn in glibc: clone(CLONE_VM | CLONE_VFORK) on a small private
 * stack. The parent thread sleeps until the child has exec'd or exited, and no
 * page tables are copied: spawning from a 60 MB Node process costs tens of
 * microseconds instead of a millisecond or more with fork(). The child only
 * writes to its own stack and to errno (the parent's, which is asleep). */
#define CHILD_STACK_BYTES (256 * 1024)
static pid_t spawn_child(child_args *args) {
  /* One stack per spawning thread, kept: CLONE_VFORK frees it again when
   * clone returns (the child has exec'd or exited), and reusing it spares
   * every spawn an mmap, a munmap (a TLB flush on every CPU) and the page
   * faults of a fresh stack: in this VM it cut the spawning thread's CPU time
   * per spawn by 40%. */
  static __thread void *stack = NULL;
  if (!stack) {
    void *fresh = mmap(NULL, CHILD_STACK_BYTES, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
    if (fresh == MAP_FAILED) return -1;
    stack = fresh;
  }
  return clone(child_entry, (char *)stack + CHILD_STACK_BYTES, CLONE_VM | CLONE_VFORK | SIGCHLD, args);
}

static int parse_stdio(napi_env env, napi_value value, enum stdio_kind *out) {
  char kind[16] = {0};
  size_t len;
  if (napi_get_value_string_utf8(env, value, kind, sizeof kind, &len) != napi_ok) return -1;
  if (strcmp(kind, "inherit") == 0) *out = STDIO_INHERIT;
  else if (strcmp(kind, "null") == 0) *out = STDIO_NULL;
  else if (strcmp(kind, "pipe") == 0) *out = STDIO_PIPE;
  else if (strcmp(kind, "stdout") == 0) *out = STDIO_SAME_AS_STDOUT;
  else return -1;
  return 0;
}

/* A whole number in [min, max], or -1: a uid of "1000", 1.5 or -1 must not
 * be read as "leave it", which would keep the child root. */
static int get_whole_arg(napi_env env, napi_value value, double min, double max, int64_t *out) {
  napi_valuetype type;
  double d;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_number) return -1;
  if (napi_get_value_double(env, value, &d) != napi_ok) return -1;
  if (!(d >= min && d <= max) || d != (double)(int64_t)d) return -1;
  *out = (int64_t)d;
  return 0;
}

#define ID_MAX 4294967294.0 /* (uid_t)-1 means "unchanged" to the kernel */

/* Fills req from the options object; returns NULL or what is wrong with it. */
static const char *parse_request(napi_env env, napi_value opts, spawn_request *req) {
  napi_value v;
  int64_t n;
  memset(req, 0, sizeof *req);
  req->umask_value = -1;
  req->uid = req->gid = -1;
  req->ngroups = -1;
  if (!has_prop(env, opts, "file", &v) || !(req->file = get_string(env, v))) return "file must be a string";
  if (!has_prop(env, opts, "argv", &v) || !(req->argv = get_strv(env, v))) return "argv must be an array of strings";
  if (has_prop(env, opts, "envBlock", &v)) {
    if (!(req->envp = get_strv_block(env, v))) return "envBlock must be a string";
  } else if (!has_prop(env, opts, "env", &v) || !(req->envp = get_strv(env, v))) {
    return "env must be an array of strings";
  }
  if (has_prop(env, opts, "cwd", &v) && !(req->cwd = get_string(env, v))) return "cwd must be a string";
  if (has_prop(env, opts, "umask", &v)) {
    if (get_whole_arg(env, v, 0, 0777, &n) != 0) return "umask must be an integer from 0 to 0o777";
    req->umask_value = (int)n;
  }
  if (has_prop(env, opts, "uid", &v)) {
    if (get_whole_arg(env, v, 0, ID_MAX, &n) != 0) return "uid must be an integer from 0 to 4294967294";
    req->uid = n;
  }
  if (has_prop(env, opts, "gid", &v)) {
    if (get_whole_arg(env, v, 0, ID_MAX, &n) != 0) return "gid must be an integer from 0 to 4294967294";
    req->gid = n;
  }
  if (has_prop(env, opts, "groups", &v)) {
    uint32_t count;
    bool is_array = false;
    if (napi_is_array(env, v, &is_array) != napi_ok || !is_array ||
        napi_get_array_length(env, v, &count) != napi_ok || count > 65536)
      return "groups must be an array of at most 65536 gids";
    req->groups = calloc(count + 1, sizeof(gid_t));
    if (!req->groups) return "out of memory";
    for (uint32_t i = 0; i < count; i++) {
      napi_value item;
      if (napi_get_element(env, v, i, &item) != napi_ok || get_whole_arg(env, item, 0, ID_MAX, &n) != 0)
        return "groups must hold integers from 0 to 4294967294";
      req->groups[i] = (gid_t)n;
    }
    req->ngroups = (int)count;
  }
  bool flag = false;
  if (has_prop(env, opts, "newProcessGroup", &v)) napi_get_value_bool(env, v, &flag);
  req->new_pgroup = flag;
  flag = false;
  if (has_prop(env, opts, "foreground", &v)) napi_get_value_bool(env, v, &flag);
  req->foreground = flag;
  for (int fd = 0; fd < 3; fd++) req->stdio[fd] = STDIO_INHERIT;
  if (has_prop(env, opts, "stdio", &v)) {
    for (uint32_t fd = 0; fd < 3; fd++) {
      napi_value item;
      if (napi_get_element(env, v, fd, &item) != napi_ok || parse_stdio(env, item, &req->stdio[fd]))
        return "stdio must be three of inherit, null, pipe, stdout";
    }
  }
  return NULL;
}

static void free_request(spawn_request *req) {
  free(req->file);
  free_strv(req->argv);
  free_strv(req->envp);
  free(req->cwd);
  free(req->groups);
}

static void close_pipes(int pipes[3][2]) {
  for (int i = 0; i < 3; i++)
    for (int j = 0; j < 2; j++)
      if (pipes[i][j] >= 0) close(pipes[i][j]);
}

/* The part of a spawn that needs no JavaScript: pipes, clone, and waiting for
 * exec (or its failure). Runs on the main thread (spawn) or on a libuv worker
 * (spawnAsync). Returns 0, or an errno with *syscall naming the failed step;
 * on success *pid is the child and pipes[] hold our ends (-1 elsewhere). */
static int do_spawn(spawn_request *req, int pipes[3][2], pid_t *pid, const char **syscall_name) {
  int err_pipe[2] = {-1, -1};
  for (int fd = 0; fd < 3; fd++) {
    if (req->stdio[fd] == STDIO_PIPE && pipe2(pipes[fd], O_CLOEXEC) != 0) {
      int err = errno;
      close_pipes(pipes);
      *syscall_name = "pipe2";
      return err;
    }
    /* A larger output pipe lets a fast writer run ahead while vigil handles
     * the previous chunk (64 KiB pipes cost a context switch per 64 KiB).
     * Best effort: beyond /proc/sys/fs/pipe-max-size or the per-user quota
     * (pipe-user-pages-soft) the kernel refuses and the default stays. */
    if (fd > 0 && req->stdio[fd] == STDIO_PIPE) fcntl(pipes[fd][0], F_SETPIPE_SZ, PIPE_BYTES);
  }
  if (pipe2(err_pipe, O_CLOEXEC) != 0) {
    int err = errno;
    close_pipes(pipes);
    *syscall_name = "pipe2";
    return err;
  }
  /* Block every signal across the clone so that no Node/libuv handler can run
   * in the child before it resets the dispositions (libuv's handler would
   * write into the parent's signal pipe). */
  sigset_t all, old, empty;
  sigfillset(&all);
  sigemptyset(&empty);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  child_args args = {req, pipes, err_pipe[1], &empty};
  *pid = spawn_child(&args);
  int fork_errno = errno;
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  close(err_pipe[1]);
  /* Close the child's ends; keep ours. */
  if (pipes[0][0] >= 0) { close(pipes[0][0]); pipes[0][0] = -1; }
  for (int fd = 1; fd < 3; fd++)
    if (pipes[fd][1] >= 0) { close(pipes[fd][1]); pipes[fd][1] = -1; }
  if (*pid < 0) {
    close(err_pipe[0]);
    close_pipes(pipes);
    *syscall_name = "fork";
    return fork_errno;
  }
  child_failure failure = {0, 0};
  ssize_t got;
  do {
    got = read(err_pipe[0], &failure, sizeof failure);
  } while (got < 0 && errno == EINTR);
  close(err_pipe[0]);
  if (got == (ssize_t)sizeof failure) {
    /* The failed child exits at once; reap it here. The JS reaper may get to
     * it first (ECHILD then): either way it leaves no zombie. */
    int status;
    while (waitpid(*pid, &status, 0) < 0 && errno == EINTR) {
    }
    close_pipes(pipes);
    *syscall_name = stage_name(failure.stage);
    return failure.err;
  }
  return 0;
}

static napi_value spawn_result(napi_env env, pid_t pid, int pipes[3][2]) {
  napi_value result, value;
  CHECK(napi_create_object(env, &result));
  napi_create_int32(env, pid, &value);
  napi_set_named_property(env, result, "pid", value);
  const char *names[3] = {"stdin", "stdout", "stderr"};
  for (int fd = 0; fd < 3; fd++) {
    int ours = fd == 0 ? pipes[0][1] : pipes[fd][0];
    if (ours < 0) continue;
    napi_create_int32(env, ours, &value);
    napi_set_named_property(env, result, names[fd], value);
  }
  return result;
}

/* spawn({file, argv, env, cwd?, umask?, uid?, gid?, groups?, newProcessGroup?,
 *        foreground?, stdio?: [k, k, k]}) -> {pid, stdin?, stdout?, stderr?}
 * where k is "inherit" | "null" | "pipe" | "stdout" (fd 2 only: same as fd 1). */
static napi_value js_spawn(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  spawn_request req;
  memset(&req, 0, sizeof req);
  const char *invalid = argc < 1 ? "options missing" : parse_request(env, argv[0], &req);
  if (invalid) {
    free_request(&req);
    char message[160];
    snprintf(message, sizeof message, "spawn: %s", invalid);
    napi_throw_type_error(env, "EINVAL", message);
    return NULL;
  }
  int pipes[3][2] = {{-1, -1}, {-1, -1}, {-1, -1}};
  pid_t pid = -1;
  const char *failed = NULL;
  int err = do_spawn(&req, pipes, &pid, &failed);
  free_request(&req);
  if (err != 0) return throw_errno(env, err, failed);
  return spawn_result(env, pid, pipes);
}

typedef struct spawn_job {
  napi_async_work work;
  napi_ref callback;
  spawn_request req;
  int pipes[3][2];
  pid_t pid;
  int err;
  const char *failed;
  volatile pid_t announced; /* the child's pid, written by the child itself */
  struct spawn_job *next_inflight;
} spawn_job;

/* Async spawns whose pid JavaScript has not been given yet. Linked and
 * unlinked on the main thread only (before queuing, and on completion), read
 * there by isSpawning; only `announced` is written elsewhere (by the child). */
static spawn_job *inflight_jobs = NULL;

static void unlink_inflight(spawn_job *job) {
  for (spawn_job **p = &inflight_jobs; *p; p = &(*p)->next_inflight)
    if (*p == job) { *p = job->next_inflight; return; }
}

/* isSpawning(pid): true while pid is the child of an async spawn not yet
 * delivered to JavaScript: not an orphan, and not vigil's to reap yet (the
 * spawn reaps it itself when exec failed). */
static napi_value js_is_spawning(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  int64_t pid = 0;
  if (argc < 1 || get_int_arg(env, argv[0], &pid) != 0) pid = 0;
  bool found = false;
  for (spawn_job *job = inflight_jobs; job && !found; job = job->next_inflight)
    found = pid > 0 && __atomic_load_n(&job->announced, __ATOMIC_SEQ_CST) == (pid_t)pid;
  napi_value result;
  napi_get_boolean(env, found, &result);
  return result;
}

static void spawn_execute(napi_env env, void *data) {
  spawn_job *job = data;
  job->err = do_spawn(&job->req, job->pipes, &job->pid, &job->failed);
}

static void spawn_complete(napi_env env, napi_status status, void *data) {
  spawn_job *job = data;
  /* From here JavaScript knows the pid (its callback watches it at once). */
  unlink_inflight(job);
  napi_value callback, global, args[2];
  napi_get_reference_value(env, job->callback, &callback);
  napi_get_global(env, &global);
  napi_get_null(env, &args[0]);
  napi_get_undefined(env, &args[1]);
  if (status != napi_ok) {
    napi_value msg;
    napi_create_string_utf8(env, "spawn cancelled", NAPI_AUTO_LENGTH, &msg);
    napi_create_error(env, NULL, msg, &args[0]);
  } else if (job->err != 0) {
    throw_errno(env, job->err, job->failed);
    napi_get_and_clear_last_exception(env, &args[0]);
  } else if (!(args[1] = spawn_result(env, job->pid, job->pipes))) {
    napi_get_and_clear_last_exception(env, &args[0]);
    napi_get_undefined(env, &args[1]);
    close_pipes(job->pipes);
  }
  napi_call_function(env, global, callback, 2, args, NULL);
  napi_delete_reference(env, job->callback);
  napi_delete_async_work(env, job->work);
  free_request(&job->req);
  free(job);
}

/* spawnAsync(options, callback(err, child)): the same spawn on a libuv worker,
 * so that several spawns wait for their exec in parallel and the event loop
 * keeps running meanwhile. */
static napi_value js_spawn_async(napi_env env, napi_callback_info info) {
  size_t argc = 2;
  napi_value argv[2];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  napi_valuetype type = napi_undefined;
  if (argc == 2) napi_typeof(env, argv[1], &type);
  if (type != napi_function) {
    napi_throw_type_error(env, "EINVAL", "spawnAsync: callback must be a function");
    return NULL;
  }
  spawn_job *job = calloc(1, sizeof *job);
  if (!job) return throw_errno(env, ENOMEM, "spawnAsync");
  for (int i = 0; i < 3; i++) job->pipes[i][0] = job->pipes[i][1] = -1;
  const char *invalid = parse_request(env, argv[0], &job->req);
  if (invalid) {
    free_request(&job->req);
    free(job);
    char message[160];
    snprintf(message, sizeof message, "spawnAsync: %s", invalid);
    napi_throw_type_error(env, "EINVAL", message);
    return NULL;
  }
  /* Until the work is queued the job is ours to free: every failure below
   * releases what was made so far (no CHECK, which would leak it). */
  napi_value name;
  const char *failed = NULL;
  if (napi_create_string_utf8(env, "vigil.spawn", NAPI_AUTO_LENGTH, &name) != napi_ok)
    failed = "napi_create_string_utf8";
  else if (napi_create_reference(env, argv[1], 1, &job->callback) != napi_ok)
    failed = "napi_create_reference";
  else if (napi_create_async_work(env, NULL, name, spawn_execute, spawn_complete, job, &job->work) != napi_ok)
    failed = "napi_create_async_work";
  else {
    /* Linked before the worker can start on it. */
    job->req.announce = &job->announced;
    job->next_inflight = inflight_jobs;
    inflight_jobs = job;
    if (napi_queue_async_work(env, job->work) != napi_ok) {
      unlink_inflight(job);
      failed = "napi_queue_async_work";
    }
  }
  if (failed) {
    if (job->work) napi_delete_async_work(env, job->work);
    if (job->callback) napi_delete_reference(env, job->callback);
    free_request(&job->req);
    free(job);
    char message[96];
    snprintf(message, sizeof message, "N-API call failed: %s", failed);
    napi_throw_error(env, "EVIGILNAPI", message);
    return NULL;
  }
  napi_value result;
  napi_get_undefined(env, &result);
  return result;
}

/* A typed array argument of `want` elements' type: its data and length
 * (data may be NULL when it is empty). False after throwing `what`. */
static bool typed_arg(napi_env env, napi_value value, napi_typedarray_type want, void **data, size_t *length,
                      const char *what) {
  bool is_typed = false;
  napi_typedarray_type type;
  *data = NULL;
  *length = 0;
  if (napi_is_typedarray(env, value, &is_typed) != napi_ok || !is_typed ||
      napi_get_typedarray_info(env, value, &type, length, data, NULL, NULL) != napi_ok || type != want) {
    napi_throw_type_error(env, "EINVAL", what);
    return false;
  }
  return true;
}

/* splitLines(chunk, maxLine, starts, ends, state) -> done
 * LineSplitter.push's loop: from state[0] (lineStart), records each line of
 * `chunk` as [starts[i], ends[i]) from index state[1] (count) on: a line ends
 * at '\n' (excluded), and a line longer than maxLine is cut into pieces of
 * maxLine bytes (state[2] is then set to 1: not contiguous). Stops when no
 * '\n' is left, with state[0] at the unfinished rest, and returns true; or
 * when starts/ends are full, returning false (grow them and call again). */
static napi_value js_split_lines(napi_env env, napi_callback_info info) {
  size_t argc = 5;
  napi_value argv[5];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 5) {
    napi_throw_type_error(env, "EINVAL", "splitLines(chunk, maxLine, starts, ends, state)");
    return NULL;
  }
  size_t length, capacity, ends_length, state_length;
  int32_t max_line;
  void *chunk_data, *starts_data, *ends_data, *state_data;
  if (!typed_arg(env, argv[0], napi_uint8_array, &chunk_data, &length, "splitLines: chunk must be a Uint8Array") ||
      !typed_arg(env, argv[2], napi_int32_array, &starts_data, &capacity, "splitLines: starts must be an Int32Array") ||
      !typed_arg(env, argv[3], napi_int32_array, &ends_data, &ends_length, "splitLines: ends must be an Int32Array") ||
      !typed_arg(env, argv[4], napi_int32_array, &state_data, &state_length, "splitLines: state must be an Int32Array")) {
    return NULL;
  }
  if (napi_get_value_int32(env, argv[1], &max_line) != napi_ok || max_line <= 0) {
    napi_throw_type_error(env, "EINVAL", "splitLines: maxLine must be a positive integer");
    return NULL;
  }
  const uint8_t *chunk = chunk_data;
  int32_t *starts = starts_data, *ends = ends_data, *state = state_data;
  if (ends_length < capacity) capacity = ends_length;
  if (state_length < 3 || length > INT32_MAX || state[0] < 0 || (size_t)state[0] > length || state[1] < 0) {
    napi_throw_range_error(env, "ERANGE", "splitLines: state out of range");
    return NULL;
  }
  size_t line_start = (size_t)state[0];
  size_t count = (size_t)state[1];
  size_t max = (size_t)max_line;
  bool done = true;
  for (;;) {
    const uint8_t *newline = line_start < length ? memchr(chunk + line_start, '\n', length - line_start) : NULL;
    size_t stop = newline ? (size_t)(newline - chunk) : length;
    while (stop - line_start > max) {
      if (count >= capacity) {
        done = false;
        goto out;
      }
      starts[count] = (int32_t)line_start;
      ends[count] = (int32_t)(line_start + max);
      count++;
      line_start += max;
      state[2] = 1;
    }
    if (!newline) break;
    if (count >= capacity) {
      done = false;
      break;
    }
    starts[count] = (int32_t)line_start;
    ends[count] = (int32_t)stop;
    count++;
    line_start = stop + 1;
  }
out:
  state[0] = (int32_t)line_start;
  state[1] = (int32_t)count;
  napi_value result;
  CHECK(napi_get_boolean(env, done, &result));
  return result;
}

/* prefixLines(out, at, head, data, starts, ends, count) -> end
 * LineFormatter's loop: writes head + data[starts[i], ends[i]) + '\n' for
 * each line, back to back into `out` from `at`; returns where it stopped. */
static napi_value js_prefix_lines(napi_env env, napi_callback_info info) {
  size_t argc = 7;
  napi_value argv[7];
  CHECK(napi_get_cb_info(env, info, &argc, argv, NULL, NULL));
  if (argc < 7) {
    napi_throw_type_error(env, "EINVAL", "prefixLines(out, at, head, data, starts, ends, count)");
    return NULL;
  }
  size_t out_length, head_length, data_length, starts_length, ends_length;
  int64_t at_arg, count_arg;
  void *out_data, *head_data, *data_data, *starts_data, *ends_data;
  if (!typed_arg(env, argv[0], napi_uint8_array, &out_data, &out_length, "prefixLines: out must be a Uint8Array") ||
      !typed_arg(env, argv[2], napi_uint8_array, &head_data, &head_length, "prefixLines: head must be a Uint8Array") ||
      !typed_arg(env, argv[3], napi_uint8_array, &data_data, &data_length, "prefixLines: data must be a Uint8Array") ||
      !typed_arg(env, argv[4], napi_int32_array, &starts_data, &starts_length, "prefixLines: starts must be an Int32Array") ||
      !typed_arg(env, argv[5], napi_int32_array, &ends_data, &ends_length, "prefixLines: ends must be an Int32Array")) {
    return NULL;
  }
  uint8_t *out = out_data;
  const uint8_t *head = head_data, *data = data_data;
  const int32_t *starts = starts_data, *ends = ends_data;
  if (napi_get_value_int64(env, argv[1], &at_arg) != napi_ok || napi_get_value_int64(env, argv[6], &count_arg) != napi_ok ||
      at_arg < 0 || (uint64_t)at_arg > out_length || count_arg < 0 || (uint64_t)count_arg > starts_length ||
      (uint64_t)count_arg > ends_length) {
    napi_throw_range_error(env, "ERANGE", "prefixLines: at or count out of range");
    return NULL;
  }
  size_t at = (size_t)at_arg;
  size_t count = (size_t)count_arg;
  /* Every index is checked before a byte moves: a bad one throws instead of
   * writing outside `out` or reading outside `data`. */
  size_t need = 0;
  for (size_t i = 0; i < count; i++) {
    if (starts[i] < 0 || ends[i] < starts[i] || (size_t)ends[i] > data_length) {
      napi_throw_range_error(env, "ERANGE", "prefixLines: a line is outside data");
      return NULL;
    }
    need += head_length + (size_t)(ends[i] - starts[i]) + 1;
  }
  if (need > out_length - at) {
    napi_throw_range_error(env, "ERANGE", "prefixLines: out is too small");
    return NULL;
  }
  for (size_t i = 0; i < count; i++) {
    size_t line = (size_t)(ends[i] - starts[i]);
    if (head_length > 0) memcpy(out + at, head, head_length); /* head may be NULL when empty */
    at += head_length;
    if (line > 0) memcpy(out + at, data + starts[i], line);
    at += line;
    out[at++] = '\n';
  }
  napi_value result;
  CHECK(napi_create_int64(env, (int64_t)at, &result));
  return result;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor props[] = {
      {"waitpid", NULL, js_waitpid, NULL, NULL, NULL, napi_default, NULL},
      {"peekExited", NULL, js_peek_exited, NULL, NULL, NULL, napi_default, NULL},
      {"isSpawning", NULL, js_is_spawning, NULL, NULL, NULL, napi_default, NULL},
      {"isatty", NULL, js_isatty, NULL, NULL, NULL, napi_default, NULL},
      {"setChildSubreaper", NULL, js_set_child_subreaper, NULL, NULL, NULL, napi_default, NULL},
      {"setrlimit", NULL, js_setrlimit, NULL, NULL, NULL, napi_default, NULL},
      {"getrlimit", NULL, js_getrlimit, NULL, NULL, NULL, napi_default, NULL},
      {"lookupUser", NULL, js_lookup_user, NULL, NULL, NULL, napi_default, NULL},
      {"spawn", NULL, js_spawn, NULL, NULL, NULL, napi_default, NULL},
      {"spawnAsync", NULL, js_spawn_async, NULL, NULL, NULL, napi_default, NULL},
      {"splitLines", NULL, js_split_lines, NULL, NULL, NULL, napi_default, NULL},
      {"prefixLines", NULL, js_prefix_lines, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}

NAPI_MODULE(NODE_GYP_MODULE_NAME, init)
