/*
 * TCP_NODELAY for nginx's mail proxy, for bench/run-nginx.sh with BENCH_NGINX_NODELAY=1 only.
 *
 * nginx's mail module has no tcp_nodelay directive and leaves Nagle's algorithm on, on both
 * legs; popbridge (netty's TCP_NODELAY) and the bench client turn it off. With Nagle on, the
 * last short segment of a reply that leaves in several writes waits for the peer's ACK, which
 * a client that is only reading delays by up to 40 ms. Preloaded into nginx
 * (LD_PRELOAD=nodelay.so), this sets TCP_NODELAY on every socket nginx accepts or connects,
 * so the run can tell what a second hop costs from what Nagle costs. It changes nothing
 * else: the real accept4/accept/connect do the work, and a socket that is not TCP keeps
 * the setsockopt error to itself.
 *
 *   cc -shared -fPIC -O2 -o nodelay.so bench/nginx_nodelay.c -ldl
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stddef.h>
#include <sys/socket.h>

static void nodelay(int fd)
{
    int on = 1;
    int saved = errno; /* a failed setsockopt (not TCP) must not change what the caller sees */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &on, sizeof(on));
    errno = saved;
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
    static int (*real)(int, struct sockaddr *, socklen_t *, int);
    if (!real) {
        real = (int (*)(int, struct sockaddr *, socklen_t *, int)) dlsym(RTLD_NEXT, "accept4");
    }
    int s = real(fd, addr, len, flags);
    if (s >= 0) {
        nodelay(s);
    }
    return s;
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
    static int (*real)(int, struct sockaddr *, socklen_t *);
    if (!real) {
        real = (int (*)(int, struct sockaddr *, socklen_t *)) dlsym(RTLD_NEXT, "accept");
    }
    int s = real(fd, addr, len);
    if (s >= 0) {
        nodelay(s);
    }
    return s;
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
    static int (*real)(int, const struct sockaddr *, socklen_t);
    if (!real) {
        real = (int (*)(int, const struct sockaddr *, socklen_t)) dlsym(RTLD_NEXT, "connect");
    }
    /* Before connecting: nginx's upstream connect is non-blocking and returns EINPROGRESS. */
    if (addr != NULL && (addr->sa_family == AF_INET || addr->sa_family == AF_INET6)) {
        nodelay(fd);
    }
    return real(fd, addr, len);
}
