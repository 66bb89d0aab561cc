import select
import time

import pytest
from kubernetes import watch
from kubernetes.stream import portforward, stream

from conftest import run_pod, wait_until


@pytest.fixture(scope="module")
def counter(core, ns):
    return run_pod(core, ns, "counter", command=["sh", "-c", "for i in 1 2 3 4 5; do echo line $i; done; echo to-stderr >&2; sleep 3600"])


@pytest.fixture(scope="module")
def web(core, ns):
    return run_pod(core, ns, "web", image="nginx:1.25")


def test_logs_whole_and_tail(core, ns, counter):
    wait_until(lambda: "line 5" in core.read_namespaced_pod_log("counter", ns), what="five lines")
    log = core.read_namespaced_pod_log("counter", ns)
    assert log.splitlines()[:5] == [f"line {i}" for i in range(1, 6)]
    tail = core.read_namespaced_pod_log("counter", ns, tail_lines=2)
    assert tail.splitlines() == ["line 5", "to-stderr"]
    stamped = core.read_namespaced_pod_log("counter", ns, tail_lines=1, timestamps=True)
    assert stamped.rstrip().endswith(" to-stderr") and stamped[:4].isdigit()


def test_logs_follow_streams_new_lines(core, ns):
    run_pod(core, ns, "ticker", command=["sh", "-c", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.2; done"])
    w = watch.Watch()
    got = []
    # Watch.stream on read_namespaced_pod_log sets follow=True and yields lines as they come.
    for line in w.stream(core.read_namespaced_pod_log, "ticker", ns):
        got.append(line)
        if len(got) == 4:
            w.stop()
    assert got[:4] == ["tick 1", "tick 2", "tick 3", "tick 4"]


def test_exec_stdout_stderr_and_exit_code(core, ns, counter):
    r = stream(
        core.connect_get_namespaced_pod_exec, "counter", ns,
        command=["sh", "-c", "echo out; echo err >&2; exit 3"],
        stderr=True, stdin=False, stdout=True, tty=False, _preload_content=False,
    )
    r.run_forever(timeout=10)
    assert not r.is_open(), f"the exec stream is still open after 10 s; channels so far: {r._channels}"
    assert r.read_stdout() == "out\n"
    assert r.read_stderr() == "err\n"
    assert r.returncode == 3


def test_exec_preloaded_output_and_success(core, ns, counter):
    out = stream(core.connect_get_namespaced_pod_exec, "counter", ns, command=["echo", "hello"], stderr=True, stdin=False, stdout=True, tty=False)
    assert out == "hello\n"


def test_exec_with_stdin(core, ns, counter):
    r = stream(
        core.connect_get_namespaced_pod_exec, "counter", ns,
        command=["sh", "-c", "read x; echo got $x"],
        stderr=True, stdin=True, stdout=True, tty=False, _preload_content=False,
    )
    r.write_stdin("piped\n")
    r.run_forever(timeout=10)
    assert not r.is_open(), f"the exec stream is still open after 10 s; channels so far: {r._channels}"
    assert r.read_stdout() == "got piped\n"
    assert r.returncode == 0


def test_exec_refused_for_a_missing_container_is_400(core, ns, counter):
    from kubernetes.client.rest import ApiException

    with pytest.raises(ApiException) as e:
        stream(core.connect_get_namespaced_pod_exec, "counter", ns, container="nope", command=["true"], stdout=True, stderr=True, stdin=False, tty=False)
    # The client turns a refused WebSocket handshake into ApiException(status=0, reason=…).
    assert "400" in str(e.value.reason)


def http_get(sock):
    sock.setblocking(True)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: pod\r\nConnection: close\r\n\r\n")
    data = b""
    deadline = time.time() + 10
    while b"</html>" not in data and time.time() < deadline:
        r, _, _ = select.select([sock], [], [], 1)
        if r:
            chunk = sock.recv(65536)
            if not chunk:
                break
            data += chunk
    return data


def test_port_forward_over_websocket(core, ns, web):
    pf = portforward(core.connect_get_namespaced_pod_portforward, "web", ns, ports="80")
    sock = pf.socket(80)
    data = http_get(sock)
    sock.close()
    assert data.startswith(b"HTTP/1.1 200 OK") and b"Welcome to nginx" in data
    assert pf.error(80) is None


def test_port_forward_to_a_closed_port_reports_on_the_error_channel(core, ns, web):
    pf = portforward(core.connect_get_namespaced_pod_portforward, "web", ns, ports="81")
    sock = pf.socket(81)
    wait_until(lambda: pf.error(81), timeout=10, what="an error on port 81")
    assert "error forwarding port 81" in pf.error(81)
    sock.close()
