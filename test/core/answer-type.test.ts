import { describe, expect, it } from "vitest";
import { answerTypeOf, holdsAnswerType } from "../../src/core/answer-type.js";
import { termsOf } from "../../src/text/analyser.js";

const holds = (question: string, sentence: string) => holdsAnswerType(answerTypeOf(question), termsOf(sentence), new Set(termsOf(question)), sentence);

describe("what kind of answer a question wants, and whether a sentence holds one", () => {
  it("tells time and quantity questions from the others", () => {
    expect(answerTypeOf("When did Olaf Scholz become chancellor?")).toBe("time");
    expect(answerTypeOf("In what year was the bridge opened?")).toBe("time");
    expect(answerTypeOf("How many officers took part?")).toBe("quantity");
    expect(answerTypeOf("How long did the event last?")).toBe("duration");
    expect(answerTypeOf("Who heads the Luftwaffe?")).toBeUndefined();
  });

  it("a time question wants a date, a year or a clock time, not just any number", () => {
    expect(holds("When was the lighthouse built?", "The lighthouse was built of granite in 1871.")).toBe(true);
    expect(holds("When did the meeting happen?", "The meeting took place on Tuesday.")).toBe(true);
    expect(holds("When was it signed?", "It was signed on 12/03/2024 at 3:30.")).toBe(true);
    expect(holds("When did Olaf Scholz become chancellor?", "Taurus has a range of 500 kilometres.")).toBe(false);
    // Clock hours are read from the words around them: "at eight" is a time, "five euros" is not.
    expect(holds("When does the harbour office open?", "The harbour office opens at eight.")).toBe(true);
    expect(holds("When does the ferry leave?", "The ferry leaves at 6pm from pier two.")).toBe(true);
    expect(holds("When did the museum open?", "Entry to the museum costs five euros.")).toBe(false);
  });

  it("a quantity question takes numbers in digits or words, hyphenated or with a unit on, but not one the question names", () => {
    expect(holds("How many officers were on the call?", "All four officers were on the call.")).toBe(true);
    expect(holds("How long did the event last?", "The two-day event was bugged.")).toBe(true);
    expect(holds("How long ago did the meeting take place?", "The meeting took place a fortnight ago.")).toBe(true);
    expect(holds("How many officers took part?", "The meeting took place a fortnight ago.")).toBe(false);
    expect(holds("How many of the 500 missiles?", "Of the 500 missiles, none.")).toBe(false);
    expect(holds("How many officers were on the call?", "The officers were on the call.")).toBe(false);
    // A unit written on to the number is still a number; a word that starts with letters is not.
    expect(holds("How far can the missile fly?", "Their 500km range meant they could reach Russia.")).toBe(true);
    expect(holds("How many players are there?", "MP3 players were sold.")).toBe(false);
  });
});
