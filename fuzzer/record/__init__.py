"""Record once, get a drill: ``gymfuzz record``.

:mod:`~fuzzer.record.capture` records one demonstration of a task on any app of a target
file; :mod:`~fuzzer.record.infer` turns it into a drill: the workflow graph
(:mod:`~fuzzer.record.graph`), the goal fields (:mod:`~fuzzer.record.fields`), the verifier
(:mod:`~fuzzer.record.verifier`) and a replay agent (:mod:`~fuzzer.record.replay`) that
certifies its packs.
"""
