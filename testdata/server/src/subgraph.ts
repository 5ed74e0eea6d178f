// Graph "subgraph": parent node "child" is a compiled subgraph with one node
// "inner", which appends "inner;" to the string state "trail" and emits the
// custom event {"node":"inner","trail":<new trail>}; the parent node "outer"
// runs after it and appends "outer;". Input {"trail":"start;"} ends with
// trail "start;inner;outer;". With stream_subgraphs the subgraph's events are
// named "<mode>|child:<task_id>".
import {
  Annotation,
  StateGraph,
  type LangGraphRunnableConfig,
} from "@langchain/langgraph";

// "trail" is a last-value channel: each node appends to the value it read.
// (An appending reducer would double the trail when the subgraph hands its
// whole state back to the parent.)
const State = Annotation.Root({
  trail: Annotation<string>(),
});

const child = new StateGraph(State)
  .addNode(
    "inner",
    (state: typeof State.State, config: LangGraphRunnableConfig) => {
      const trail = `${state.trail ?? ""}inner;`;
      config.writer?.({ node: "inner", trail });
      return { trail };
    },
  )
  .addEdge("__start__", "inner")
  .addEdge("inner", "__end__")
  .compile();

export const graph = new StateGraph(State)
  .addNode("child", child)
  .addNode("outer", (state: typeof State.State) => ({
    trail: `${state.trail ?? ""}outer;`,
  }))
  .addEdge("__start__", "child")
  .addEdge("child", "outer")
  .addEdge("outer", "__end__")
  .compile();
