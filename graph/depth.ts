/**
 * Structural measures of the call graph: the longest caller chain below
 * each node and each node's fan-out. Real dependency graphs have cycles
 * (A→B→A callbacks), where "longest path" is undefined; we take the longest
 * path that visits no node twice along a depth-first walk, i.e. back edges
 * are ignored, which is the usual convention for call-depth measures.
 */

/** Node id → longest chain of calls below it (0 for leaves). */
export function depthByNode(nodes: string[], edges: { source: string; target: string }[]): Record<string, number> {
  const out = new Map<string, string[]>();
  for (const n of nodes) out.set(n, []);
  for (const e of edges) {
    if (!out.has(e.source)) out.set(e.source, []);
    if (!out.has(e.target)) out.set(e.target, []);
    if (e.source !== e.target) out.get(e.source)!.push(e.target);
  }
  const depth = new Map<string, number>();
  const onStack = new Set<string>();
  // Iterative post-order DFS: dependency graphs can be thousands of nodes deep.
  for (const start of out.keys()) {
    if (depth.has(start)) continue;
    const stack: { node: string; next: number }[] = [{ node: start, next: 0 }];
    onStack.add(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const succ = out.get(top.node)!;
      if (top.next < succ.length) {
        const child = succ[top.next++];
        if (!depth.has(child) && !onStack.has(child)) {
          onStack.add(child);
          stack.push({ node: child, next: 0 });
        }
        continue;
      }
      let d = 0;
      for (const child of succ) {
        const cd = depth.get(child);
        if (cd !== undefined) d = Math.max(d, cd + 1);
      }
      depth.set(top.node, d);
      onStack.delete(top.node);
      stack.pop();
    }
  }
  return Object.fromEntries([...depth].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** Node id → number of distinct callees. */
export function fanOutByNode(edges: { source: string; target: string }[]): Map<string, number> {
  const fan = new Map<string, number>();
  for (const e of edges) if (e.source !== e.target) fan.set(e.source, (fan.get(e.source) ?? 0) + 1);
  return fan;
}
