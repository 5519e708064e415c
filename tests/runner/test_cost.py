"""--max-cost bookkeeping (u2fast.runner.cost): expected output per task, reservations that wait."""

from __future__ import annotations

import asyncio

from u2fast.runner.cost import PRIOR_OUTPUT_DEFAULT, PRIOR_OUTPUT_TOKENS, Budget, ExpectedOutput


def test_expected_output_is_the_prior_until_learned_per_task_and_never_above_max_tokens() -> None:
    out = ExpectedOutput()
    assert out.expected("DD", 1024) == PRIOR_OUTPUT_DEFAULT
    assert out.expected("RG", 1024) == PRIOR_OUTPUT_TOKENS["RG"]
    assert out.expected("RG", 100) == 100
    out.learn("DD", 4)
    out.learn("DD", 6)
    assert out.expected("DD", 1024) == 5.0
    assert out.expected("RG", 1024) == PRIOR_OUTPUT_TOKENS["RG"]  # DD's short answers say nothing of RG


def test_a_reservation_that_does_not_fit_waits_for_one_in_flight_to_settle() -> None:
    async def go() -> list[str]:
        budget = Budget(1.0)
        events: list[str] = []
        assert budget.reserve(0.6) and not budget.reserve(0.6)

        async def second() -> None:
            while not budget.reserve(0.6):
                events.append("waits")
                await budget.settled()
            events.append("reserved")

        task = asyncio.ensure_future(second())
        await asyncio.sleep(0)
        budget.settle(0.6, 0.3)  # cost less than expected: room for the second
        await task
        assert (budget.spent, budget.pending) == (0.3, 1)
        return events

    assert asyncio.run(go()) == ["waits", "reserved"]
