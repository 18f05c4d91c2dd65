package io.ivs.core.event;

/** What to do with an event id: process it, answer its stored answer, or refuse it. */
public sealed interface Verdict<A> {
    /** The id is new: process the event and record its answer. */
    record Fresh<A>() implements Verdict<A> {}

    /** The id was processed before with the same content: answer as then, change nothing. */
    record Replay<A>(A answer) implements Verdict<A> {}

    /** The id was processed before with other content, or taken meanwhile: change nothing. */
    record Conflict<A>(String message) implements Verdict<A> {}
}
