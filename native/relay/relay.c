// skiff's native relay: moves the bytes of spliced proxy connections (client <-> process pod) on
// its own thread, out of JavaScript. One epoll loop owns every connection handed to it: it dials
// the backend (non-blocking connect, loopback only), then copies each way with read/write through
// a buffer per direction, with backpressure (a side whose peer cannot take more is not read),
// half-close passed on (shutdown(SHUT_WR) once a direction's data is flushed) and a reset or
// error on one side resetting the other. JavaScript hears of each connection's end through one
// thread-safe function, in batches. It can also own the accept of a listening socket: JavaScript
// pushes the backends to spread its connections over (round robin), and the connections it
// accepts never reach JavaScript at all. See source/engine/proxy/native-relay.ts.
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <node_api.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

// 2 x 32 KiB per connection: large transfers move in big reads; one struct stays below malloc's
// mmap threshold, and ended connections are kept on a free list for the next ones.
#define BUF_BYTES (32 * 1024)
#define FREE_CONNS_KEPT 256
#define MAX_EVENTS 256

// What JavaScript is told about a connection (kinds of the completion records).
// ACCEPT_FAILED: a listener's accept failed for lack of resources (EMFILE...); its id in place of
// a connection's, and it is out of epoll (level-triggered, it would report the same at once).
enum { DONE = 0, RESET = 1, REFUSED = 2, ABORTED = 3, ACCEPT_FAILED = 4 };

typedef struct {
  int from, to;
  uint32_t start, end;
  int eof;  // `from` has sent its FIN
  int shut; // passed on to `to` (shutdown SHUT_WR), or not needed any more
  char buf[BUF_BYTES];
} Dir;

// A listening socket the relay accepts on, with the backends its connections go to. Its fields
// are guarded by the relay's lock (JavaScript swaps the table and stops it from its own thread);
// `refs` and `released` belong to the relay thread.
typedef struct Lst {
  double id, group;
  int fd; // JavaScript's: it closes it after unlisten()
  int dead;
  uint32_t *addrs; // network order
  uint16_t *ports; // host order
  size_t n, rr;
  int attempts;
  long refs;    // connections it accepted that are still open
  int released; // unlisten() reached the relay thread: freed once refs is 0
  struct Lst *next;
} Lst;

static void free_lst(Lst *l) {
  free(l->addrs);
  free(l->ports);
  free(l);
}

typedef struct Conn {
  double id;
  Lst *lst;   // accepted natively: ends and retries stay in the relay thread
  double group;
  int tries; // natively accepted: backends it may still try
  int cfd, bfd;
  int connecting;
  int dead; // ended in this epoll batch: later events of the batch are stale
  uint32_t cmask, bmask; // epoll interest registered for each fd
  int c_in, b_in;        // readable as last reported
  int c_hup, b_hup;      // hung up both ways: out of epoll, read to its end whenever there is room
  struct Conn *prev, *next;
  Dir up;   // client -> backend
  Dir down; // backend -> client
} Conn;

enum { CMD_OPEN = 0, CMD_ABORT = 1, CMD_ABORT_GROUP = 2, CMD_RELEASE = 3 };

typedef struct {
  double id;
  int fd;
  uint32_t addr; // network order
  uint16_t port; // host order
  int kind;
  Lst *lst; // CMD_RELEASE
} Cmd;

typedef struct {
  double id;
  int kind;
  int fd;
} Done;

typedef struct {
  int ep, wake;
  pthread_t thread;
  int running;
  volatile int stopping;
  napi_threadsafe_function tsfn;
  pthread_mutex_t lock; // guards cmds and dones
  Cmd *cmds;
  size_t ncmds, capcmds;
  Done *dones;
  size_t ndones, capdones;
  // Owned by the relay thread only.
  Conn *live;
  Conn *grave; // ended during the current batch of events
  Conn *spare;
  size_t nspare;
  Lst *lgrave; // released listeners to free after the current batch
  // Guarded by the lock.
  Lst *listeners;
  // Read from JavaScript (approximate: a counter the thread updates).
  volatile long nlive;
  volatile double accepted;
} Relay;

static void *grow(void *p, size_t *cap, size_t n, size_t size) {
  if (n < *cap) return p;
  size_t c = *cap ? *cap * 2 : 64;
  void *q = realloc(p, c * size);
  if (!q) return NULL;
  *cap = c;
  return q;
}

static void hard_close(int fd) {
  struct linger l = {1, 0};
  setsockopt(fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
  close(fd);
}

// ---- relay thread ----------------------------------------------------------------------------

static void post(Relay *r, double id, int kind, int fd) {
  pthread_mutex_lock(&r->lock);
  int first = r->ndones == 0;
  Done *d = grow(r->dones, &r->capdones, r->ndones, sizeof(Done));
  if (d) {
    r->dones = d;
    d[r->ndones++] = (Done){id, kind, fd};
  } else if (fd >= 0) {
    close(fd);
  }
  pthread_mutex_unlock(&r->lock);
  // One call per batch: JavaScript drains everything posted until it runs. Not while the
  // environment is torn down (its thread-safe functions are closing, maybe gone).
  if (first && d && !r->stopping) napi_call_threadsafe_function(r->tsfn, NULL, napi_tsfn_nonblocking);
}

static void lst_unref(Relay *r, Lst *l) {
  if (--l->refs == 0 && l->released) {
    l->next = r->lgrave;
    r->lgrave = l;
  }
}

static void unlink_conn(Relay *r, Conn *c) {
  if (c->prev) c->prev->next = c->next;
  else r->live = c->next;
  if (c->next) c->next->prev = c->prev;
  r->nlive--;
  c->dead = 1;
  if (c->lst) lst_unref(r, c->lst);
  c->lst = NULL;
  c->next = r->grave;
  r->grave = c;
}

// After a batch: ended connections can be handed out again, released listeners freed.
static void recycle(Relay *r) {
  while (r->grave) {
    Conn *c = r->grave;
    r->grave = c->next;
    if (r->nspare < FREE_CONNS_KEPT) {
      c->next = r->spare;
      r->spare = c;
      r->nspare++;
    } else {
      free(c);
    }
  }
  while (r->lgrave) {
    Lst *l = r->lgrave;
    r->lgrave = l->next;
    free_lst(l);
  }
}

// Out of epoll before the close: a child process forked meanwhile (a pod starting) holds the
// socket too until its exec, and epoll keeps a registration until the socket's last descriptor
// closes, with this connection's pointer in its events.
static void unwatch(Relay *r, int fd, int watched) {
  if (watched) epoll_ctl(r->ep, EPOLL_CTL_DEL, fd, NULL);
}

// Ends a connection: kind DONE closes both sides, RESET resets both, ABORTED closes both.
static void finish(Relay *r, Conn *c, int kind) {
  unwatch(r, c->cfd, !c->connecting && !c->c_hup);
  unwatch(r, c->bfd, !c->b_hup);
  if (kind == RESET) {
    hard_close(c->cfd);
    hard_close(c->bfd);
  } else {
    close(c->cfd);
    close(c->bfd);
  }
  if (!c->lst) post(r, c->id, kind, -1);
  unlink_conn(r, c);
}

static int set_mask(Relay *r, Conn *c, int fd, uint32_t *cur, uint32_t want, uint64_t tag) {
  if (*cur == want) return 0;
  struct epoll_event ev = {.events = want, .data.u64 = tag};
  if (epoll_ctl(r->ep, EPOLL_CTL_MOD, fd, &ev) != 0) return -1;
  *cur = want;
  return 0;
}

// Moves what it can one way. Returns -1 on an error of either socket (the connection resets).
static int pump(Dir *d, int *readable, int hup) {
  for (;;) {
    while (d->start < d->end) {
      ssize_t n = send(d->to, d->buf + d->start, d->end - d->start, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (n < 0) {
        if (errno == EINTR) continue;
        return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -1;
      }
      d->start += (uint32_t)n;
    }
    d->start = d->end = 0;
    if (d->eof) {
      if (!d->shut) {
        d->shut = 1;
        // The peer may be gone already: its reset shows up as a read error on it.
        shutdown(d->to, SHUT_WR);
      }
      return 0;
    }
    if (!*readable) return 0;
    ssize_t n = recv(d->from, d->buf, BUF_BYTES, MSG_DONTWAIT);
    if (n < 0) {
      if (errno == EINTR) continue;
      if (errno == EAGAIN || errno == EWOULDBLOCK) {
        *readable = hup;
        return 0;
      }
      return -1;
    }
    if (n == 0) {
      d->eof = 1;
      *readable = 0;
      continue;
    }
    d->end = (uint32_t)n;
    // A short read emptied the socket's receive queue: epoll reports the next data.
    if (n < BUF_BYTES) *readable = hup;
  }
}

// epoll tags: a Conn's address with bit 0 set for its backend, a Lst's with bit 1 (both are
// malloc'd, so at least 8-aligned); 0 is the wake-up eventfd.
#define LISTENER_TAG 2
static uint64_t tag_of(Conn *c, int backend) { return (uint64_t)(uintptr_t)c | (uint64_t)backend; }

static void service(Relay *r, Conn *c) {
  if (pump(&c->up, &c->c_in, c->c_hup) != 0 || pump(&c->down, &c->b_in, c->b_hup) != 0) return finish(r, c, RESET);
  if (c->up.shut && c->down.shut) return finish(r, c, DONE);
  // Read a side only while what it sent last is flushed; ask for writability while data waits.
  uint32_t cw = (!c->up.eof && c->up.start == c->up.end ? EPOLLIN : 0) | (c->down.start < c->down.end ? EPOLLOUT : 0);
  uint32_t bw = (!c->down.eof && c->down.start == c->down.end ? EPOLLIN : 0) | (c->up.start < c->up.end ? EPOLLOUT : 0);
  if ((!c->c_hup && set_mask(r, c, c->cfd, &c->cmask, cw, tag_of(c, 0)) != 0) ||
      (!c->b_hup && set_mask(r, c, c->bfd, &c->bmask, bw, tag_of(c, 1)) != 0))
    finish(r, c, RESET);
}

static int dial(Relay *r, Conn *c, uint32_t addr, uint16_t port);
static int dial_next(Relay *r, Conn *c);

// A natively accepted connection whose backends all refused (or none is left): the client gets a
// reset, as from kube-proxy's REJECT.
static void reject(Relay *r, Conn *c) {
  hard_close(c->cfd);
  unlink_conn(r, c);
}

static void connected(Relay *r, Conn *c) {
  int err = 0;
  socklen_t len = sizeof err;
  if (getsockopt(c->bfd, SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err == 0) {
    c->connecting = 0;
    struct epoll_event ev = {.events = EPOLLIN, .data.u64 = tag_of(c, 0)};
    if (epoll_ctl(r->ep, EPOLL_CTL_ADD, c->cfd, &ev) != 0) return finish(r, c, RESET);
    c->cmask = EPOLLIN;
    // A client that sent its request while the backend was dialled: read it now (what a backend
    // that speaks first sends, epoll reports).
    c->c_in = 1;
    return service(r, c);
  }
  unwatch(r, c->bfd, 1);
  close(c->bfd);
  c->bfd = -1;
  // Accepted here: the next backend of its listener's table, as JavaScript would pick it.
  if (c->lst) {
    if (dial_next(r, c) != 0) reject(r, c);
    return;
  }
  // Refused (or any other failure to connect): the client's socket goes back to JavaScript,
  // which picks the next backend or resets it.
  post(r, c->id, REFUSED, c->cfd);
  unlink_conn(r, c);
}

static Conn *new_conn(Relay *r, double id, int fd) {
  Conn *c = r->spare;
  if (c) {
    r->spare = c->next;
    r->nspare--;
  } else if (!(c = malloc(sizeof(Conn)))) {
    return NULL;
  }
  c->id = id;
  c->lst = NULL;
  c->group = 0;
  c->tries = 0;
  c->cfd = fd;
  c->bfd = -1;
  c->connecting = 1;
  c->dead = 0;
  c->cmask = 0;
  c->c_in = c->b_in = c->c_hup = c->b_hup = 0;
  c->up.start = c->up.end = c->down.start = c->down.end = 0;
  c->up.eof = c->up.shut = c->down.eof = c->down.shut = 0;
  c->up.from = c->down.to = fd;
  c->prev = NULL;
  c->next = r->live;
  if (r->live) r->live->prev = c;
  r->live = c;
  r->nlive++;
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return c;
}

// Starts the non-blocking connect of c's backend; an errno when it failed at once (bfd closed).
static int dial(Relay *r, Conn *c, uint32_t addr, uint16_t port) {
  c->bfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (c->bfd < 0) return errno;
  c->up.to = c->down.from = c->bfd;
  int one = 1;
  setsockopt(c->bfd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = addr};
  struct epoll_event ev = {.events = EPOLLOUT, .data.u64 = tag_of(c, 1)};
  c->bmask = EPOLLOUT;
  if ((connect(c->bfd, (struct sockaddr *)&sa, sizeof sa) != 0 && errno != EINPROGRESS) ||
      epoll_ctl(r->ep, EPOLL_CTL_ADD, c->bfd, &ev) != 0) {
    int err = errno;
    close(c->bfd);
    c->bfd = -1;
    return err;
  }
  return 0;
}

// The next backend of the listener's round robin for a natively accepted connection: 0, or the
// errno of the last failure (ECONNREFUSED when none is left to try).
static int dial_next(Relay *r, Conn *c) {
  int err = ECONNREFUSED;
  while (c->tries > 0) {
    c->tries--;
    pthread_mutex_lock(&r->lock);
    Lst *l = c->lst;
    int have = l->n > 0;
    uint32_t addr = 0;
    uint16_t port = 0;
    if (have) {
      size_t i = l->rr++ % l->n;
      l->rr %= l->n;
      addr = l->addrs[i];
      port = l->ports[i];
    }
    pthread_mutex_unlock(&r->lock);
    if (!have) return ECONNREFUSED;
    err = dial(r, c, addr, port);
    if (err == 0) return 0;
    // Out of descriptors: the next backend would fail the same way; it does not refuse.
    if (err == EMFILE || err == ENFILE) return err;
  }
  return err;
}

static void start_conn(Relay *r, const Cmd *cmd) {
  Conn *c = new_conn(r, cmd->id, cmd->fd);
  if (!c) {
    post(r, cmd->id, REFUSED, cmd->fd);
    return;
  }
  if (dial(r, c, cmd->addr, cmd->port) != 0) {
    post(r, c->id, REFUSED, c->cfd);
    unlink_conn(r, c);
  }
}

// The relay cannot accept for lack of descriptors: JavaScript takes the accept back (libuv copes
// with EMFILE). The listener leaves epoll: level-triggered, it would report the same at once.
static void give_back(Relay *r, Lst *l) {
  pthread_mutex_lock(&r->lock);
  if (!l->dead) epoll_ctl(r->ep, EPOLL_CTL_DEL, l->fd, NULL);
  pthread_mutex_unlock(&r->lock);
  post(r, l->id, ACCEPT_FAILED, -1);
}

// The listening socket is readable: accept what waits (a bounded batch: level-triggered epoll
// reports the rest) and dial each connection's backend.
static void on_accept(Relay *r, Lst *l) {
  for (int i = 0; i < 32; i++) {
    pthread_mutex_lock(&r->lock);
    int dead = l->dead;
    int fd = dead ? -1 : accept4(l->fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    int err = errno;
    int attempts = l->attempts;
    pthread_mutex_unlock(&r->lock);
    if (fd < 0) {
      if (dead) return;
      if (err == EINTR || err == ECONNABORTED) continue;
      if (err == EAGAIN || err == EWOULDBLOCK) return;
      return give_back(r, l);
    }
    r->accepted++;
    Conn *c = new_conn(r, 0, fd);
    if (!c) {
      hard_close(fd);
      continue;
    }
    c->lst = l;
    c->group = l->group;
    c->tries = attempts;
    l->refs++;
    err = dial_next(r, c);
    if (err == 0) continue;
    reject(r, c);
    // The accept took the last descriptor, the backend's socket found none: the next client would
    // be accepted into the descriptor this reset frees, and reset the same way.
    if (err == EMFILE || err == ENFILE) return give_back(r, l);
  }
}

static void abort_conn(Relay *r, double id) {
  for (Conn *c = r->live; c; c = c->next)
    if (c->id == id && !c->lst) return finish(r, c, ABORTED);
}

static void abort_group(Relay *r, double group) {
  for (Conn *c = r->live, *next; c; c = next) {
    next = c->next;
    if (c->lst && c->group == group) finish(r, c, ABORTED);
  }
}

static void release_lst(Relay *r, Lst *l) {
  l->released = 1;
  if (l->refs == 0) {
    l->next = r->lgrave;
    r->lgrave = l;
  }
}

static void drain_cmds(Relay *r) {
  uint64_t n;
  ssize_t ignored = read(r->wake, &n, sizeof n);
  (void)ignored;
  pthread_mutex_lock(&r->lock);
  Cmd *cmds = r->cmds;
  size_t count = r->ncmds;
  r->cmds = NULL;
  r->ncmds = r->capcmds = 0;
  pthread_mutex_unlock(&r->lock);
  for (size_t i = 0; i < count; i++) {
    switch (cmds[i].kind) {
    case CMD_OPEN: start_conn(r, &cmds[i]); break;
    case CMD_ABORT: abort_conn(r, cmds[i].id); break;
    case CMD_ABORT_GROUP: abort_group(r, cmds[i].id); break;
    case CMD_RELEASE: release_lst(r, cmds[i].lst); break;
    }
  }
  free(cmds);
}

static void *run(void *arg) {
  Relay *r = arg;
  struct epoll_event evs[MAX_EVENTS];
  while (!r->stopping) {
    int n = epoll_wait(r->ep, evs, MAX_EVENTS, -1);
    if (n < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (int i = 0; i < n; i++) {
      uint64_t tag = evs[i].data.u64;
      if (tag == 0) {
        drain_cmds(r);
        continue;
      }
      if (tag & LISTENER_TAG) {
        on_accept(r, (Lst *)(uintptr_t)(tag & ~(uint64_t)LISTENER_TAG));
        continue;
      }
      Conn *c = (Conn *)(uintptr_t)(tag & ~(uint64_t)1);
      int backend = (int)(tag & 1);
      uint32_t e = evs[i].events;
      if (c->dead) continue;
      if (c->connecting) {
        connected(r, c);
        continue;
      }
      // A pending socket error (a reset): the other side is reset too.
      if (e & EPOLLERR) {
        finish(r, c, RESET);
        continue;
      }
      if (e & (EPOLLIN | EPOLLHUP | EPOLLRDHUP)) {
        if (backend) c->b_in = 1;
        else c->c_in = 1;
      }
      service(r, c);
      // Hung up both ways (its FIN came, ours went) while its last data waits for room on the
      // other side: epoll would report that on every wait. Nothing more can arrive on it, so it
      // leaves epoll and is read to its end as the other side drains.
      if (!c->dead && (e & EPOLLHUP)) {
        int *hup = backend ? &c->b_hup : &c->c_hup;
        if (!*hup) {
          epoll_ctl(r->ep, EPOLL_CTL_DEL, backend ? c->bfd : c->cfd, NULL);
          *hup = 1;
          if (backend) c->b_in = 1;
          else c->c_in = 1;
          service(r, c);
        }
      }
    }
    recycle(r);
  }
  return NULL;
}

// ---- JavaScript side -------------------------------------------------------------------------

static void call_js(napi_env env, napi_value fn, void *ctx, void *data) {
  (void)data;
  Relay *r = ctx;
  if (!env || !fn) return;
  pthread_mutex_lock(&r->lock);
  Done *dones = r->dones;
  size_t n = r->ndones;
  r->dones = NULL;
  r->ndones = r->capdones = 0;
  pthread_mutex_unlock(&r->lock);
  if (n == 0) return;
  napi_value arr, undefined;
  napi_create_array_with_length(env, n * 3, &arr);
  for (size_t i = 0; i < n; i++) {
    napi_value v;
    napi_create_double(env, dones[i].id, &v);
    napi_set_element(env, arr, (uint32_t)(i * 3), v);
    napi_create_int32(env, dones[i].kind, &v);
    napi_set_element(env, arr, (uint32_t)(i * 3 + 1), v);
    napi_create_int32(env, dones[i].fd, &v);
    napi_set_element(env, arr, (uint32_t)(i * 3 + 2), v);
  }
  free(dones);
  napi_get_undefined(env, &undefined);
  napi_call_function(env, undefined, fn, 1, &arr, NULL);
}

static void cleanup(void *arg) {
  Relay *r = arg;
  if (r->running) {
    r->stopping = 1;
    uint64_t one = 1;
    ssize_t ignored = write(r->wake, &one, sizeof one);
    (void)ignored;
    pthread_join(r->thread, NULL);
    while (r->live) finish(r, r->live, ABORTED);
    recycle(r);
  }
  while (r->listeners) {
    Lst *l = r->listeners;
    r->listeners = l->next;
    free_lst(l);
  }
  while (r->spare) {
    Conn *c = r->spare;
    r->spare = c->next;
    free(c);
  }
  if (r->ep >= 0) close(r->ep);
  if (r->wake >= 0) close(r->wake);
  free(r->cmds);
  free(r->dones);
  pthread_mutex_destroy(&r->lock);
  free(r);
}

static Relay *relay_of(napi_env env) {
  Relay *r = NULL;
  napi_get_instance_data(env, (void **)&r);
  return r;
}

static napi_value num(napi_env env, double v) {
  napi_value out;
  napi_create_double(env, v, &out);
  return out;
}

static int args(napi_env env, napi_callback_info info, size_t want, napi_value *argv) {
  size_t argc = want;
  if (napi_get_cb_info(env, info, &argc, argv, NULL, NULL) != napi_ok || argc < want) {
    napi_throw_type_error(env, NULL, "skiff_relay: missing arguments");
    return -1;
  }
  return 0;
}

static int push(Relay *r, Cmd cmd) {
  pthread_mutex_lock(&r->lock);
  int first = r->ncmds == 0;
  Cmd *c = grow(r->cmds, &r->capcmds, r->ncmds, sizeof(Cmd));
  if (c) {
    r->cmds = c;
    c[r->ncmds++] = cmd;
  }
  pthread_mutex_unlock(&r->lock);
  if (!c) return -ENOMEM;
  if (first) {
    uint64_t one = 1;
    ssize_t ignored = write(r->wake, &one, sizeof one);
    (void)ignored;
  }
  return 0;
}

// start(onDone): starts the relay thread; onDone([id, kind, fd, ...]) hears of ended connections.
static napi_value js_start(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (args(env, info, 1, argv)) return NULL;
  Relay *r = relay_of(env);
  if (r->running) return num(env, 0);
  napi_value name;
  napi_create_string_utf8(env, "skiff_relay", NAPI_AUTO_LENGTH, &name);
  if (napi_create_threadsafe_function(env, argv[0], NULL, name, 0, 1, NULL, NULL, r, call_js, &r->tsfn) != napi_ok)
    return num(env, -1);
  // The relay never keeps the process alive by itself.
  napi_unref_threadsafe_function(env, r->tsfn);
  if (pthread_create(&r->thread, NULL, run, r) != 0) return num(env, -1);
  pthread_setname_np(r->thread, "skiff-relay");
  r->running = 1;
  return num(env, 0);
}

// dup(fd): a close-on-exec duplicate of fd (the caller then closes its own handle), or -errno.
static napi_value js_dup(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (args(env, info, 1, argv)) return NULL;
  int32_t fd = -1;
  napi_get_value_int32(env, argv[0], &fd);
  int d = fcntl(fd, F_DUPFD_CLOEXEC, 3);
  return num(env, d < 0 ? -errno : d);
}

// open(id, fd, host, port): the relay owns fd (a connected client socket) from now on and dials
// host:port for it. 0, or -EINVAL for an address outside 127.0.0.0/8 (fd stays the caller's).
static napi_value js_open(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (args(env, info, 4, argv)) return NULL;
  Relay *r = relay_of(env);
  double id = 0;
  int32_t fd = -1, port = 0;
  char host[64];
  size_t len;
  napi_get_value_double(env, argv[0], &id);
  napi_get_value_int32(env, argv[1], &fd);
  if (napi_get_value_string_utf8(env, argv[2], host, sizeof host, &len) != napi_ok) return num(env, -EINVAL);
  napi_get_value_int32(env, argv[3], &port);
  struct in_addr a;
  // skiff's network rule: the engine dials nothing but 127.0.0.0/8.
  if (!r->running || fd < 0 || inet_pton(AF_INET, host, &a) != 1 || (ntohl(a.s_addr) >> 24) != 127 || port <= 0 || port > 65535)
    return num(env, -EINVAL);
  return num(env, push(r, (Cmd){.id = id, .fd = fd, .addr = a.s_addr, .port = (uint16_t)port}));
}

// reset(fd): close a socket the relay gave back with a reset (RST).
static napi_value js_reset(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (args(env, info, 1, argv)) return NULL;
  int32_t fd = -1;
  napi_get_value_int32(env, argv[0], &fd);
  if (fd >= 0) hard_close(fd);
  return NULL;
}

// A command of `kind` for the relay thread about the id in the call's one argument.
static napi_value push_for_id(napi_env env, napi_callback_info info, int kind) {
  napi_value argv[1];
  if (args(env, info, 1, argv)) return NULL;
  double id = 0;
  napi_get_value_double(env, argv[0], &id);
  Relay *r = relay_of(env);
  if (r->running) push(r, (Cmd){.id = id, .fd = -1, .kind = kind});
  return NULL;
}

// abort(id): close both sides of a connection now (the engine is stopping).
static napi_value js_abort(napi_env env, napi_callback_info info) {
  return push_for_id(env, info, CMD_ABORT);
}

// Reads a table of backends (hosts: string[], ports: number[]): 0, or -EINVAL when one is not
// an address in 127.0.0.0/8 (skiff's network rule) or the arrays do not match.
static int read_table(napi_env env, napi_value hosts, napi_value ports, uint32_t **addrs, uint16_t **pnums, size_t *n) {
  uint32_t nh = 0, np = 0;
  if (napi_get_array_length(env, hosts, &nh) != napi_ok || napi_get_array_length(env, ports, &np) != napi_ok || nh != np)
    return -EINVAL;
  *addrs = malloc((nh ? nh : 1) * sizeof(uint32_t));
  *pnums = malloc((nh ? nh : 1) * sizeof(uint16_t));
  if (!*addrs || !*pnums) goto fail;
  for (uint32_t i = 0; i < nh; i++) {
    napi_value h, p;
    char host[64];
    size_t len;
    int32_t port = 0;
    struct in_addr a;
    if (napi_get_element(env, hosts, i, &h) != napi_ok || napi_get_element(env, ports, i, &p) != napi_ok ||
        napi_get_value_string_utf8(env, h, host, sizeof host, &len) != napi_ok ||
        napi_get_value_int32(env, p, &port) != napi_ok || inet_pton(AF_INET, host, &a) != 1 ||
        (ntohl(a.s_addr) >> 24) != 127 || port <= 0 || port > 65535)
      goto fail;
    (*addrs)[i] = a.s_addr;
    (*pnums)[i] = (uint16_t)port;
  }
  *n = nh;
  return 0;
fail:
  free(*addrs);
  free(*pnums);
  *addrs = NULL;
  *pnums = NULL;
  return -EINVAL;
}

static Lst *find_lst(Relay *r, double id) {
  for (Lst *l = r->listeners; l; l = l->next)
    if (l->id == id) return l;
  return NULL;
}

// listen(id, group, fd, hosts, ports, attempts): the relay thread accepts on the listening socket
// fd (still the caller's: it closes it after unlisten) and spreads its connections over the
// backends. 0, or -errno (nothing changed).
static napi_value js_listen(napi_env env, napi_callback_info info) {
  napi_value argv[6];
  if (args(env, info, 6, argv)) return NULL;
  Relay *r = relay_of(env);
  double id = 0, group = 0;
  int32_t fd = -1, attempts = 1;
  napi_get_value_double(env, argv[0], &id);
  napi_get_value_double(env, argv[1], &group);
  napi_get_value_int32(env, argv[2], &fd);
  napi_get_value_int32(env, argv[5], &attempts);
  Lst *l = calloc(1, sizeof(Lst));
  if (!l) return num(env, -ENOMEM);
  int rc = read_table(env, argv[3], argv[4], &l->addrs, &l->ports, &l->n);
  if (rc != 0 || !r->running || fd < 0) {
    free_lst(l); // its table too, when it was read
    return num(env, rc ? rc : -EINVAL);
  }
  l->id = id;
  l->group = group;
  l->fd = fd;
  l->attempts = attempts > 0 ? attempts : 1;
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = (uint64_t)(uintptr_t)l | LISTENER_TAG};
  pthread_mutex_lock(&r->lock);
  l->next = r->listeners;
  r->listeners = l;
  rc = epoll_ctl(r->ep, EPOLL_CTL_ADD, fd, &ev) == 0 ? 0 : -errno;
  if (rc != 0) r->listeners = l->next;
  pthread_mutex_unlock(&r->lock);
  if (rc != 0) free_lst(l);
  return num(env, rc);
}

// table(id, hosts, ports, attempts): new backends for a listener's next connections. 0 or -errno.
static napi_value js_table(napi_env env, napi_callback_info info) {
  napi_value argv[4];
  if (args(env, info, 4, argv)) return NULL;
  Relay *r = relay_of(env);
  double id = 0;
  int32_t attempts = 1;
  napi_get_value_double(env, argv[0], &id);
  napi_get_value_int32(env, argv[3], &attempts);
  uint32_t *addrs;
  uint16_t *ports;
  size_t n;
  int rc = read_table(env, argv[1], argv[2], &addrs, &ports, &n);
  if (rc != 0) return num(env, rc);
  pthread_mutex_lock(&r->lock);
  Lst *l = find_lst(r, id);
  if (l) {
    uint32_t *oa = l->addrs;
    uint16_t *op = l->ports;
    l->addrs = addrs;
    l->ports = ports;
    l->n = n;
    if (l->rr >= n) l->rr = 0;
    l->attempts = attempts > 0 ? attempts : 1;
    addrs = oa;
    ports = op;
  }
  pthread_mutex_unlock(&r->lock);
  free(addrs);
  free(ports);
  return num(env, l ? 0 : -ENOENT);
}

// unlisten(id): the relay stops accepting on the listener's socket before this returns (what
// waits in its queue stays there for whoever accepts next); its open connections carry on.
static napi_value js_unlisten(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (args(env, info, 1, argv)) return NULL;
  Relay *r = relay_of(env);
  double id = 0;
  napi_get_value_double(env, argv[0], &id);
  pthread_mutex_lock(&r->lock);
  Lst **pp = &r->listeners;
  while (*pp && (*pp)->id != id) pp = &(*pp)->next;
  Lst *l = *pp;
  if (l) {
    *pp = l->next;
    l->dead = 1;
    epoll_ctl(r->ep, EPOLL_CTL_DEL, l->fd, NULL);
  }
  pthread_mutex_unlock(&r->lock);
  // Freed by the relay thread, after any event of it already fetched and its last connection.
  if (l) push(r, (Cmd){.fd = -1, .kind = CMD_RELEASE, .lst = l});
  return NULL;
}

// abortGroup(group): close both sides of every open connection accepted by the group's listeners.
static napi_value js_abort_group(napi_env env, napi_callback_info info) {
  return push_for_id(env, info, CMD_ABORT_GROUP);
}

// close(fd): a plain close (a listening socket after unlisten).
static napi_value js_close(napi_env env, napi_callback_info info) {
  napi_value argv[1];
  if (args(env, info, 1, argv)) return NULL;
  int32_t fd = -1;
  napi_get_value_int32(env, argv[0], &fd);
  if (fd >= 0) close(fd);
  return NULL;
}

// accepted(): connections the relay thread has accepted itself so far.
static napi_value js_accepted(napi_env env, napi_callback_info info) {
  (void)info;
  return num(env, relay_of(env)->accepted);
}

// live(): connections the relay thread holds now.
static napi_value js_live(napi_env env, napi_callback_info info) {
  (void)info;
  return num(env, (double)relay_of(env)->nlive);
}

NAPI_MODULE_INIT() {
  Relay *r = calloc(1, sizeof(Relay));
  if (!r) return NULL;
  r->ep = epoll_create1(EPOLL_CLOEXEC);
  r->wake = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  pthread_mutex_init(&r->lock, NULL);
  struct epoll_event ev = {.events = EPOLLIN, .data.u64 = 0};
  if (r->ep < 0 || r->wake < 0 || epoll_ctl(r->ep, EPOLL_CTL_ADD, r->wake, &ev) != 0) {
    napi_throw_error(env, NULL, "skiff_relay: epoll/eventfd setup failed");
    cleanup(r);
    return NULL;
  }
  napi_set_instance_data(env, r, NULL, NULL);
  napi_add_env_cleanup_hook(env, cleanup, r);
  napi_property_descriptor props[] = {
      {"start", NULL, js_start, NULL, NULL, NULL, napi_default, NULL},
      {"dup", NULL, js_dup, NULL, NULL, NULL, napi_default, NULL},
      {"open", NULL, js_open, NULL, NULL, NULL, napi_default, NULL},
      {"reset", NULL, js_reset, NULL, NULL, NULL, napi_default, NULL},
      {"abort", NULL, js_abort, NULL, NULL, NULL, napi_default, NULL},
      {"live", NULL, js_live, NULL, NULL, NULL, napi_default, NULL},
      {"listen", NULL, js_listen, NULL, NULL, NULL, napi_default, NULL},
      {"table", NULL, js_table, NULL, NULL, NULL, napi_default, NULL},
      {"unlisten", NULL, js_unlisten, NULL, NULL, NULL, napi_default, NULL},
      {"abortGroup", NULL, js_abort_group, NULL, NULL, NULL, napi_default, NULL},
      {"close", NULL, js_close, NULL, NULL, NULL, napi_default, NULL},
      {"accepted", NULL, js_accepted, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof props / sizeof props[0], props);
  return exports;
}
