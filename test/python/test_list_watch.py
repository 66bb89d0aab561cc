from kubernetes import watch


def cm(name, labels=None, data=None):
    return {"metadata": {"name": name, "labels": labels or {}}, "data": data or {}}


def test_list_with_label_selector(core, ns):
    core.create_namespaced_config_map(ns, cm("red", {"color": "red"}))
    core.create_namespaced_config_map(ns, cm("blue", {"color": "blue"}))
    names = [c.metadata.name for c in core.list_namespaced_config_map(ns, label_selector="color=red").items]
    assert names == ["red"]
    names = sorted(c.metadata.name for c in core.list_namespaced_config_map(ns, label_selector="color in (red,blue)").items)
    assert names == ["blue", "red"]


def test_list_with_limit_and_continue(core, ns):
    for i in range(5):
        core.create_namespaced_config_map(ns, cm(f"page-{i}", {"page": "yes"}))
    first = core.list_namespaced_config_map(ns, label_selector="page=yes", limit=2)
    assert len(first.items) == 2 and first.metadata._continue
    rest = core.list_namespaced_config_map(ns, label_selector="page=yes", limit=10, _continue=first.metadata._continue)
    assert len(rest.items) == 3


def test_watch_streams_events_not_a_list(core, ns):
    """The client sends watch=True: the engine must stream, not answer with a List."""
    rv = core.list_namespaced_config_map(ns).metadata.resource_version
    core.create_namespaced_config_map(ns, cm("w1"))
    w = watch.Watch()
    events = []
    for ev in w.stream(core.list_namespaced_config_map, ns, resource_version=rv, timeout_seconds=5):
        events.append((ev["type"], ev["object"].metadata.name))
        if ev["object"].metadata.name == "w1":
            w.stop()
    assert ("ADDED", "w1") in events


def test_watch_resumes_from_resource_version_with_label_selector(core, ns):
    core.create_namespaced_config_map(ns, cm("before", {"w": "x"}))
    rv = core.list_namespaced_config_map(ns, label_selector="w=x").metadata.resource_version
    core.create_namespaced_config_map(ns, cm("after", {"w": "x"}))
    core.create_namespaced_config_map(ns, cm("other", {"w": "y"}))
    core.patch_namespaced_config_map("after", ns, {"data": {"k": "v"}})
    core.delete_namespaced_config_map("after", ns)
    w = watch.Watch()
    seen = []
    for ev in w.stream(core.list_namespaced_config_map, ns, label_selector="w=x", resource_version=rv, timeout_seconds=5):
        seen.append((ev["type"], ev["object"].metadata.name))
        if ev["type"] == "DELETED":
            w.stop()
    assert seen == [("ADDED", "after"), ("MODIFIED", "after"), ("DELETED", "after")]
    # Watch keeps the last resourceVersion it saw; a new stream from there sees only what follows.
    last = w.resource_version
    core.create_namespaced_config_map(ns, cm("later", {"w": "x"}))
    w2 = watch.Watch()
    for ev in w2.stream(core.list_namespaced_config_map, ns, label_selector="w=x", resource_version=last, timeout_seconds=5):
        assert (ev["type"], ev["object"].metadata.name) == ("ADDED", "later")
        w2.stop()


def test_watch_with_a_malformed_selector_is_400(core, ns):
    from kubernetes.client.rest import ApiException

    w = watch.Watch()
    try:
        for _ in w.stream(core.list_namespaced_config_map, ns, label_selector="a in (", timeout_seconds=3):
            pass
    except ApiException as e:
        assert e.status == 400
        body = e.body.decode() if isinstance(e.body, bytes) else e.body
        assert body.startswith('{"kind":"Status"') and '"reason":"BadRequest"' in body
    else:
        raise AssertionError("a malformed label selector was accepted")
