import json,sys,collections
p=json.load(open(sys.argv[1]))
nodes={n['id']:n for n in p['nodes']}
self=collections.Counter()
dt=p['timeDeltas']; 
for s,d in zip(p['samples'],dt): self[s]+=d
parent={}
for n in p['nodes']:
    for c in n.get('children',[]): parent[c]=n['id']
def name(n):
    cf=n['callFrame']; return f"{cf['functionName'] or '(anon)'} {cf['url'].split('/')[-1]}:{cf['lineNumber']}"
tot=sum(self.values())
byfn=collections.Counter()
for i,t in self.items(): byfn[name(nodes[i])]+=t
print('total ms',tot/1000)
for k,v in byfn.most_common(30): print(f"{v/1000:8.0f} {k}")
# inclusive
incl=collections.Counter()
for i,t in self.items():
    seen=set(); j=i
    while j is not None:
        k=name(nodes[j])
        if k not in seen: incl[k]+=t; seen.add(k)
        j=parent.get(j)
print('--- inclusive')
for k,v in incl.most_common(60): print(f"{v/1000:8.0f} {k}")
