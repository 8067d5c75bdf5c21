/*
 * The cold probe's early CUDA start: cuInit and the primary contexts, called straight through
 * libcuda.so.1 so that the driver's initialisation starts at once, while JavaCPP is still linking
 * its CUDA binding (which links libcudart and libcuda, then loads some 500 classes in its
 * JNI_OnLoad) on another thread. The checks then make the same calls through JavaCPP and find the
 * work done: the driver's state and the primary contexts are per process.
 *
 * Two ways in:
 *  - from Java, first thing in the probe's main (NativeWarmUp.cudaWarmUp), on a thread of its own;
 *  - earlier still, as a JVM agent (java -agentpath:.../libgpukitprobe.so -jar gpukit-probe.jar
 *    ...): Agent_OnLoad runs a few milliseconds into the JVM's boot, before the heap, the class
 *    data sharing archive and the first class, and starts the same calls on a native thread, so
 *    that the JVM's boot (~55 ms to main on an H200 machine) overlaps the driver's ~210 ms. It
 *    decides from the probe's arguments alone (see main_arguments), with the same rules as
 *    GpuProbe.earlyDevice: only a readiness or deep run of the probe itself (see runs_the_probe)
 *    starts anything. cudaWarmUp then waits for the agent's thread instead of starting a second
 *    one, and when the JVM ends (System.exit, the end of main, Runtime.halt) the agent waits for its
 *    thread (at most AGENT_EXIT_WAIT_MS), so that the process does not exit while the driver is
 *    inside cuInit; except after NativeWarmUp.exitWithoutWaiting, which the probe calls before its watchdog
 *    halts a hung run.
 *
 * libcuda.so.1 is opened with dlopen, so that this library links against nothing but libc and
 * loads on a machine without a driver, where the warm-up reports that and does nothing.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <jni.h>
#include <jvmti.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef int (*cu_init_fn)(unsigned int);
typedef int (*cu_count_fn)(int *);
typedef int (*cu_get_fn)(int *, int);
typedef int (*cu_retain_fn)(void **, int);

/* GpuProbe.NO_EARLY_START and GpuProbe.ALL_DEVICES */
#define NO_EARLY_START (-2)
#define ALL_DEVICES (-1)
/* How long the JVM's normal end waits for the agent's thread still inside the driver. */
#define AGENT_EXIT_WAIT_MS 2000

/*
 * Returns -1 when libcuda.so.1 or one of its functions cannot be found, else the result of
 * cuInit(0) when it failed, else 0 after retaining the primary context of device (every device
 * when device < 0) when context is true. The contexts are released when the process ends.
 */
static int warm_up(int device, int context) {
  void *cuda = dlopen("libcuda.so.1", RTLD_NOW | RTLD_GLOBAL);
  if (cuda == NULL) {
    return -1;
  }
  cu_init_fn cu_init = (cu_init_fn) dlsym(cuda, "cuInit");
  cu_count_fn cu_count = (cu_count_fn) dlsym(cuda, "cuDeviceGetCount");
  cu_get_fn cu_get = (cu_get_fn) dlsym(cuda, "cuDeviceGet");
  cu_retain_fn cu_retain = (cu_retain_fn) dlsym(cuda, "cuDevicePrimaryCtxRetain");
  if (cu_init == NULL || cu_count == NULL || cu_get == NULL || cu_retain == NULL) {
    return -1;
  }
  int rc = cu_init(0);
  if (rc != 0 || !context) {
    return rc;
  }
  int count = 0;
  if (cu_count(&count) != 0) {
    return 0;
  }
  for (int i = 0; i < count; i++) {
    int dev = 0;
    void *ctx = NULL;
    if ((device < 0 || device == i) && cu_get(&dev, i) == 0) {
      cu_retain(&ctx, dev);
    }
  }
  return 0;
}

/* ---- the command line scan: GpuProbe.earlyDevice, for the agent ---- */

/* A plain decimal number from min to max after trimming, else NO_EARLY_START (GpuProbe.number). */
static long long number(const char *text, size_t len, long long min, long long max) {
  while (len > 0 && (unsigned char) text[0] <= ' ') {
    text++;
    len--;
  }
  while (len > 0 && (unsigned char) text[len - 1] <= ' ') {
    len--;
  }
  if (len == 0 || len > 18) {
    return NO_EARLY_START;
  }
  long long n = 0;
  for (size_t i = 0; i < len; i++) {
    if (text[i] < '0' || text[i] > '9') {
      return NO_EARLY_START;
    }
    n = n * 10 + (text[i] - '0');
  }
  return n >= min && n <= max ? n : NO_EARLY_START;
}

/* The options a readiness or deep run may carry, each at most once. */
static const char *const OPTIONS[] = {"--json", "--mode", "--device", "--min-free-mib",
                                      "--max-temp-c", "--timeout-ms", "--sgemm-size"};
#define OPTION_COUNT (sizeof(OPTIONS) / sizeof(OPTIONS[0]))

static int option_index(const char *name, size_t len) {
  for (size_t k = 0; k < OPTION_COUNT; k++) {
    if (strlen(OPTIONS[k]) == len && strncmp(OPTIONS[k], name, len) == 0) {
      return (int) k;
    }
  }
  return -1;
}

static int equals(const char *text, size_t len, const char *word) {
  return strlen(word) == len && strncmp(text, word, len) == 0;
}

/*
 * GpuProbe.earlyDevice over the probe's arguments: the device whose primary context to retain,
 * ALL_DEVICES, or NO_EARLY_START.
 */
static int early_device(int count, const char *const *args, const char *warm_up_property) {
  if (warm_up_property != NULL && strcmp(warm_up_property, "true") != 0) {
    return NO_EARLY_START;
  }
  int seen[OPTION_COUNT] = {0};
  int deep = 0;
  int sgemm = 0;
  int device = ALL_DEVICES;
  for (int i = 0; i < count; i++) {
    const char *name = args[i];
    size_t name_len = strlen(name);
    const char *value = NULL;
    size_t value_len = 0;
    const char *eq = memchr(name, '=', name_len);
    if (name_len >= 2 && name[0] == '-' && name[1] == '-' && eq != NULL && eq > name) {
      value = eq + 1;
      value_len = name_len - (size_t) (eq + 1 - name);
      name_len = (size_t) (eq - name);
    }
    int k = option_index(name, name_len);
    if (k < 0) {
      return NO_EARLY_START;
    }
    if (seen[k]++) {
      return NO_EARLY_START;
    }
    if (k == 0) { /* --json */
      if (value != NULL) {
        return NO_EARLY_START;
      }
      continue;
    }
    if (value == NULL) {
      if (i + 1 >= count || strncmp(args[i + 1], "--", 2) == 0) {
        return NO_EARLY_START;
      }
      i++;
      value = args[i];
      value_len = strlen(value);
    }
    if (k == 1) { /* --mode */
      if (equals(value, value_len, "deep")) {
        deep = 1;
      } else if (!equals(value, value_len, "readiness")) {
        return NO_EARLY_START;
      }
    } else if (k == 2) { /* --device */
      if (equals(value, value_len, "all")) {
        device = ALL_DEVICES;
      } else {
        long long n = number(value, value_len, 0, 1023);
        if (n == NO_EARLY_START) {
          return NO_EARLY_START;
        }
        device = (int) n;
      }
    } else {
      long long min = k == 3 ? 0 : 1;
      long long max = k == 3 ? (1LL << 40) : k == 4 ? 200 : k == 5 ? 3600000 : 8192;
      if (number(value, value_len, min, max) == NO_EARLY_START) {
        return NO_EARLY_START;
      }
      if (k == 6) {
        sgemm = 1;
      }
    }
  }
  return sgemm && !deep ? NO_EARLY_START : device;
}

/* At most this many words on the process's command line, and bytes in it, for the agent's scan. */
#define MAX_WORDS 256
#define MAX_COMMAND_LINE 65536

/*
 * The probe's arguments, exactly as main will get them, for the agent: sun.java.command (command)
 * holds the main class or jar and the arguments joined with spaces, which cannot tell
 * "--mode readiness" (one argument) from "--mode" "readiness" (two); the process's own command
 * line (/proc/self/cmdline, NUL-separated) can, and the arguments are its words after the one
 * where the rest, joined with spaces, equals sun.java.command (at most one word can be that one:
 * a longer tail makes a longer string). Fills args (pointers into buf) and returns their count,
 * or -1 when there is no such word, or too many words, or the line cannot be read (an @argfile the
 * launcher expanded, say): the agent then starts nothing.
 */
static int main_arguments(const char *command, char *buf, const char **args, int max) {
  int fd = open("/proc/self/cmdline", O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return -1;
  }
  size_t n = 0;
  for (;;) {
    ssize_t r = read(fd, buf + n, MAX_COMMAND_LINE - 1 - n);
    if (r < 0 && errno == EINTR) {
      continue;
    }
    if (r <= 0) {
      break;
    }
    n += (size_t) r;
    if (n == MAX_COMMAND_LINE - 1) {
      close(fd);
      return -1;
    }
  }
  close(fd);
  if (n == 0) {
    return -1;
  }
  if (buf[n - 1] != '\0') {
    buf[n++] = '\0';
  }
  const char *words[MAX_WORDS];
  int count = 0;
  for (size_t i = 0; i < n; i += strlen(buf + i) + 1) {
    if (count == MAX_WORDS) {
      return -1;
    }
    words[count++] = buf + i;
  }
  size_t command_length = strlen(command);
  for (int first = count - 1; first >= 1; first--) {
    const char *c = command;
    size_t joined = 0;
    int same = 1;
    for (int j = first; j < count && same; j++) {
      size_t len = strlen(words[j]);
      joined += len + (j > first ? 1 : 0);
      if (joined > command_length) {
        same = 0;
        break;
      }
      if (j > first) {
        same = *c++ == ' ';
      }
      same = same && strncmp(c, words[j], len) == 0;
      c += len;
    }
    if (same && joined == command_length) {
      if (count - first - 1 > max) {
        return -1;
      }
      for (int j = first + 1; j < count; j++) {
        args[j - first - 1] = words[j];
      }
      return count - first - 1;
    }
    if (joined > command_length) {
      break;
    }
  }
  return -1;
}

/* ---- the agent ---- */

static pthread_mutex_t agent_lock = PTHREAD_MUTEX_INITIALIZER;
/* Initialised in Agent_OnLoad on the monotonic clock, before the agent's thread starts. */
static pthread_cond_t agent_done_cond;
static pthread_t agent_thread;
/* Set once in Agent_OnLoad, before any other thread can look. */
static int agent_started;
static int agent_device;
/* Under agent_lock. */
static int agent_done;
static int agent_result;
/* Set by the probe before a watchdog's halt: the JVM's end then does not wait for the agent. */
static volatile int agent_exit_now;

static void *agent_run(void *arg) {
  (void) arg;
  int rc = warm_up(agent_device, 1);
  pthread_mutex_lock(&agent_lock);
  agent_result = rc;
  agent_done = 1;
  pthread_cond_broadcast(&agent_done_cond);
  pthread_mutex_unlock(&agent_lock);
  return NULL;
}

/* Waits for the agent's thread at most timeout_ms (forever when negative); 1 when it is done. */
static int agent_wait(long timeout_ms, int *result) {
  struct timespec until;
  if (timeout_ms >= 0) {
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
      until.tv_sec++;
      until.tv_nsec -= 1000000000L;
    }
  }
  pthread_mutex_lock(&agent_lock);
  while (!agent_done) {
    int rc = timeout_ms < 0 ? pthread_cond_wait(&agent_done_cond, &agent_lock)
                            : pthread_cond_timedwait(&agent_done_cond, &agent_lock, &until);
    if (rc == ETIMEDOUT) {
      break;
    }
  }
  int done = agent_done;
  if (done && result != NULL) {
    *result = agent_result;
  }
  pthread_mutex_unlock(&agent_lock);
  return done;
}

/*
 * The JVM's end (System.exit, the end of main, and Runtime.halt too): waits for the agent's thread
 * unless the probe said not to (its watchdog ends a hung run, where waiting helps no one).
 */
static void JNICALL agent_vm_death(jvmtiEnv *jvmti, JNIEnv *env) {
  (void) jvmti;
  (void) env;
  if (agent_started && !agent_exit_now) {
    agent_wait(AGENT_EXIT_WAIT_MS, NULL);
  }
}

/*
 * Whether sun.java.command names the probe: its main class, or a jar whose file name starts with
 * "gpukit-probe". Any other program that loads this library as an agent (through
 * JAVA_TOOL_OPTIONS, say) starts nothing, whatever its arguments.
 */
static int runs_the_probe(const char *command) {
  size_t first = strcspn(command, " ");
  static const char MAIN_CLASS[] = "io.gpukit.probe.GpuProbe";
  if (first == sizeof(MAIN_CLASS) - 1 && strncmp(command, MAIN_CLASS, first) == 0) {
    return 1;
  }
  if (first < 4 || strncmp(command + first - 4, ".jar", 4) != 0) {
    return 0;
  }
  size_t name = first;
  while (name > 0 && command[name - 1] != '/') {
    name--;
  }
  return strncmp(command + name, "gpukit-probe", strlen("gpukit-probe")) == 0
         && first - name >= strlen("gpukit-probe.jar");
}

static char *property(jvmtiEnv *jvmti, const char *name) {
  char *value = NULL;
  if ((*jvmti)->GetSystemProperty(jvmti, name, &value) != JVMTI_ERROR_NONE) {
    return NULL;
  }
  return value;
}

/*
 * The JVM agent's entry: never fails the JVM's start. Options are not taken (anything after '='
 * is ignored).
 */
JNIEXPORT jint JNICALL Agent_OnLoad(JavaVM *vm, char *options, void *reserved) {
  (void) options;
  (void) reserved;
  jvmtiEnv *jvmti = NULL;
  if ((*vm)->GetEnv(vm, (void **) &jvmti, JVMTI_VERSION_1_2) != JNI_OK || jvmti == NULL) {
    return JNI_OK;
  }
  char *command = property(jvmti, "sun.java.command");
  char *warm_up_property = property(jvmti, "gpukit.probe.warmup");
  int device = NO_EARLY_START;
  static char line[MAX_COMMAND_LINE];
  const char *args[MAX_WORDS];
  int count = command == NULL || !runs_the_probe(command)
                  ? -1 : main_arguments(command, line, args, MAX_WORDS);
  if (count >= 0) {
    device = early_device(count, args, warm_up_property);
  }
  if (command != NULL) {
    (*jvmti)->Deallocate(jvmti, (unsigned char *) command);
  }
  if (warm_up_property != NULL) {
    (*jvmti)->Deallocate(jvmti, (unsigned char *) warm_up_property);
  }
  if (device == NO_EARLY_START) {
    (*jvmti)->DisposeEnvironment(jvmti);
    return JNI_OK;
  }
  pthread_condattr_t monotonic;
  if (pthread_condattr_init(&monotonic) != 0
      || pthread_condattr_setclock(&monotonic, CLOCK_MONOTONIC) != 0
      || pthread_cond_init(&agent_done_cond, &monotonic) != 0) {
    (*jvmti)->DisposeEnvironment(jvmti);
    return JNI_OK;
  }
  pthread_condattr_destroy(&monotonic);
  jvmtiEventCallbacks callbacks;
  memset(&callbacks, 0, sizeof(callbacks));
  callbacks.VMDeath = &agent_vm_death;
  if ((*jvmti)->SetEventCallbacks(jvmti, &callbacks, (jint) sizeof(callbacks))
          != JVMTI_ERROR_NONE
      || (*jvmti)->SetEventNotificationMode(jvmti, JVMTI_ENABLE, JVMTI_EVENT_VM_DEATH, NULL)
          != JVMTI_ERROR_NONE) {
    (*jvmti)->DisposeEnvironment(jvmti);
    return JNI_OK;
  }
  agent_device = device;
  /*
   * The thread blocks the asynchronous signals, so that the JVM's threads take them; a fault in the
   * driver (SIGSEGV, SIGBUS, SIGFPE, SIGILL) still reaches the JVM's handler and its crash report.
   */
  sigset_t all;
  sigset_t old;
  sigfillset(&all);
  sigdelset(&all, SIGSEGV);
  sigdelset(&all, SIGBUS);
  sigdelset(&all, SIGFPE);
  sigdelset(&all, SIGILL);
  pthread_sigmask(SIG_SETMASK, &all, &old);
  int rc = pthread_create(&agent_thread, NULL, &agent_run, NULL);
  pthread_sigmask(SIG_SETMASK, &old, NULL);
  if (rc == 0) {
    pthread_detach(agent_thread);
    agent_started = 1;
  }
  return JNI_OK;
}

/* ---- from Java: NativeWarmUp ---- */

/*
 * When the agent started the driver in this process: waits for it and returns its result.
 * Otherwise: warm_up(device, context).
 */
JNIEXPORT jint JNICALL Java_io_gpukit_probe_NativeWarmUp_cudaWarmUp(JNIEnv *env, jclass cls,
                                                                    jint device,
                                                                    jboolean context) {
  (void) env;
  (void) cls;
  int result = 0;
  if (agent_started && agent_wait(-1, &result)) {
    return result;
  }
  return warm_up(device, context);
}

/* Lets the JVM's end go without waiting for the agent's thread (the watchdog's halt). */
JNIEXPORT void JNICALL Java_io_gpukit_probe_NativeWarmUp_exitWithoutWaitingNative(JNIEnv *env,
                                                                               jclass cls) {
  (void) env;
  (void) cls;
  agent_exit_now = 1;
}

/* The device the agent retained the context of (-1 every device), or -2 when it started nothing. */
JNIEXPORT jint JNICALL Java_io_gpukit_probe_NativeWarmUp_agentDevice(JNIEnv *env, jclass cls) {
  (void) env;
  (void) cls;
  return agent_started ? agent_device : NO_EARLY_START;
}

/* The agent's scan of the probe's arguments, for tests that hold it to GpuProbe.earlyDevice. */
JNIEXPORT jint JNICALL Java_io_gpukit_probe_NativeWarmUp_agentEarlyDevice(JNIEnv *env, jclass cls,
                                                                          jobjectArray arguments,
                                                                          jstring warm_up_property) {
  (void) cls;
  jsize count = (*env)->GetArrayLength(env, arguments);
  if (count > MAX_WORDS) {
    return NO_EARLY_START;
  }
  const char *args[MAX_WORDS] = {NULL};
  jstring strings[MAX_WORDS];
  jsize got = 0;
  for (; got < count; got++) {
    strings[got] = (jstring) (*env)->GetObjectArrayElement(env, arguments, got);
    args[got] = strings[got] == NULL ? NULL : (*env)->GetStringUTFChars(env, strings[got], NULL);
    if (args[got] == NULL) {
      break;
    }
  }
  const char *w = warm_up_property == NULL ? NULL
                                           : (*env)->GetStringUTFChars(env, warm_up_property, NULL);
  int device = got < count ? NO_EARLY_START : early_device((int) count, args, w);
  for (jsize i = 0; i < got; i++) {
    (*env)->ReleaseStringUTFChars(env, strings[i], args[i]);
    (*env)->DeleteLocalRef(env, strings[i]);
  }
  if (got < count && strings[got] != NULL) {
    (*env)->DeleteLocalRef(env, strings[got]);
  }
  if (w != NULL) {
    (*env)->ReleaseStringUTFChars(env, warm_up_property, w);
  }
  return device;
}
