// Graph "error": node "fail" throws an error named "CustomError" with message "Boo!".
import { Annotation, StateGraph } from "@langchain/langgraph";

class CustomError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "CustomError";
  }
}

const State = Annotation.Root({
  value: Annotation<unknown>(),
});

export const graph = new StateGraph(State)
  .addNode("fail", (): typeof State.Update => {
    throw new CustomError("Boo!");
  })
  .addEdge("__start__", "fail")
  .addEdge("fail", "__end__")
  .compile();
