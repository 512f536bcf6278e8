"""The scan's threading trial: which batches time which candidate, and what it keeps."""

from autointerp.subjects.scan import ThreadingTrial


def test_the_trial_times_each_candidate_in_a_b_b_a_phases_after_the_warm_up():
    trial = ThreadingTrial(candidates=(1, 2), phase_batches=3, warmup=1)
    plan = [trial.streams_for(batch) for batch in range(15)]
    assert plan == [2, 1, 1, 1, 2, 2, 2, 2, 2, 2, 1, 1, 1, None, None]
    starts = [batch for batch in range(15) if trial.phase_starts(batch)]
    assert starts == [1, 4, 7, 10, 13]


def test_the_trial_keeps_the_candidate_with_more_tokens_per_second():
    trial = ThreadingTrial(candidates=(1, 2))
    assert trial.choice() == 2  # nothing timed yet
    trial.record(1, tokens=3000, seconds=1.0)
    assert trial.choice() == 2  # one candidate timed is not a trial
    trial.record(2, tokens=3000, seconds=1.2)
    trial.record(2, tokens=3000, seconds=1.2)
    trial.record(1, tokens=3000, seconds=1.0)
    assert trial.rates() == {1: 3000.0, 2: 2500.0}
    assert trial.choice() == 1
