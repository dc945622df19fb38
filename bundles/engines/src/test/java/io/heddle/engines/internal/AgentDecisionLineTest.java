package io.heddle.engines.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.heddle.api.heartbeat.HeartbeatDecision;
import org.junit.jupiter.api.Test;

class AgentDecisionLineTest {

    @Test
    void theLastLineGivesTheDecisionAndItsReason() {
        assertThat(AgentDecisionLine.parse("Checked the build: all green.\nDECISION: complete - the build is fixed"))
                .contains(new AgentDecisionLine.Decision(HeartbeatDecision.COMPLETE, "the build is fixed"));
    }

    @Test
    void everyDecisionWordIsReadInAnyCase() {
        assertThat(AgentDecisionLine.parse("decision: Continue"))
                .map(AgentDecisionLine.Decision::decision)
                .contains(HeartbeatDecision.CONTINUE);
        assertThat(AgentDecisionLine.parse("DECISION: PAUSE: waiting for review"))
                .contains(new AgentDecisionLine.Decision(HeartbeatDecision.PAUSE, "waiting for review"));
        assertThat(AgentDecisionLine.parse("DECISION:escalate disk almost full"))
                .contains(new AgentDecisionLine.Decision(HeartbeatDecision.ESCALATE, "disk almost full"));
    }

    @Test
    void trailingBlankLinesAndMarkdownEmphasisAreTolerated() {
        assertThat(AgentDecisionLine.parse("Done.\n\n**DECISION: complete - all done**\n\n  \n"))
                .contains(new AgentDecisionLine.Decision(HeartbeatDecision.COMPLETE, "all done"));
        assertThat(AgentDecisionLine.parse("`DECISION: continue`"))
                .map(AgentDecisionLine.Decision::decision)
                .contains(HeartbeatDecision.CONTINUE);
    }

    @Test
    void aDecisionThatIsNotOnTheLastLineIsNoDecision() {
        assertThat(AgentDecisionLine.parse("DECISION: complete\nActually, one more thing."))
                .isEmpty();
    }

    @Test
    void anUnknownWordOrNoLineIsNoDecision() {
        assertThat(AgentDecisionLine.parse("DECISION: finish")).isEmpty();
        assertThat(AgentDecisionLine.parse("DECISION: completely done")).isEmpty();
        assertThat(AgentDecisionLine.parse("I think we should complete.")).isEmpty();
        assertThat(AgentDecisionLine.parse("")).isEmpty();
        assertThat(AgentDecisionLine.parse(null)).isEmpty();
    }
}
