"""Teaching helpers for the notebooks: pandas views, matplotlib timelines, ipywidgets scenarios.

This package owns the scenario code the notebooks call, so that lessons stay short and every
helper is tested in pytest (``tests/lab``). Nothing here is imported by the simulator core, and
nothing here imports Jupyter, matplotlib or ipywidgets at module level: import the module you
need and the heavy library loads only when a function asks for it.

- :mod:`simulator.lab.views`: the trail and the keys of a Region as pandas tables.
- :mod:`simulator.lab.timeline`: the audit trail drawn over virtual time.
- :mod:`simulator.lab.playground`: an encrypt/decrypt playground as a plain, testable class.
- :mod:`simulator.lab.widgets`: the ipywidgets front end of the playground.
- :mod:`simulator.lab.cli`: ``python -m simulator serve`` in a subprocess, driven by the AWS CLI.
- :mod:`simulator.lab.checks`: the result every exercise ``check_...()`` helper returns.
- :mod:`simulator.lab.envelope`, :mod:`simulator.lab.envelope_walk`: envelope encryption with
  data keys, its file format, and the step-by-step walkthrough (notebook 01).
- :mod:`simulator.lab.lifecycle`, :mod:`simulator.lab.rotation`: key states, deletion on the
  clock, and rotation over years (notebook 02).
- :mod:`simulator.lab.keyspecs`, :mod:`simulator.lab.keyspec_widget`: asymmetric and HMAC keys,
  offline verification, RSA limits, the key-spec explorer (notebook 03).
"""
