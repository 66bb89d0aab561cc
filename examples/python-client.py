from kubernetes import client, config, watch

config.load_kube_config()  # $KUBECONFIG or ~/.kube/config: the context `skiff cluster up` made current
core = client.CoreV1Api()

print([ns.metadata.name for ns in core.list_namespace().items])
core.create_namespaced_config_map("default", {"metadata": {"name": "hello-py", "labels": {"demo": "py"}}, "data": {"from": "python"}})
for event in watch.Watch().stream(core.list_namespaced_config_map, "default", label_selector="demo=py", timeout_seconds=5):
    print(event["type"], event["object"].metadata.name, event["object"].data)
    break
core.delete_namespaced_config_map("hello-py", "default")
