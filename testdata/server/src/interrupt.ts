// Graph "interrupt": node "ask" interrupts with {question: "approve?"} and stores
// the resume value as "answer"; node "finish" then sets done: true.
import { Annotation, StateGraph, interrupt } from "@langchain/langgraph";

const State = Annotation.Root({
  answer: Annotation<unknown>(),
  done: Annotation<boolean>(),
});

export const graph = new StateGraph(State)
  .addNode("ask", () => {
    const answer = interrupt({ question: "approve?" });
    return { answer };
  })
  .addNode("finish", () => ({ done: true }))
  .addEdge("__start__", "ask")
  .addEdge("ask", "finish")
  .addEdge("finish", "__end__")
  .compile();
