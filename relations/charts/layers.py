"""Altair charts that Altair shares instead of copying.

Altair copies every layer twice when it makes a layer chart (once to drop duplicate parameters, once
to lift them to the top), and makes the layer chart again, with those copies, in every `to_dict`. A
copy walks the whole object: a chart's axis or legend alone holds some 70 settings, most of them
unset. For the nine figures of an export that was ≈110,000 copy calls, about a third of building
them. The charts here are values: every Altair method that changes a chart returns a changed copy of
its top level and leaves the nested parts alone, and the builders never change a part after making
it, so a deep copy can be a copy of the top level and share the rest. The specs come out the same
(tests/test_layers.py compares them with what Altair's copies give, on every figure of three views).

Layers that draw the same table get it from the layer chart (`Layers(data=frame, layer=[...])`)
rather than each its own: Altair moves a table all layers share to the top itself, but first names
each layer by a hash of its JSON, printing the whole data frame into it (≈10 ms a layer)."""

import altair as alt


class Layer(alt.Chart):
    """A one-mark chart: a layer, or a chart on its own."""

    def __deepcopy__(self, memo: dict | None = None) -> "Layer":
        return self.copy(deep=False)


class Layers(alt.LayerChart):
    """Layers drawn on one plot."""

    def __deepcopy__(self, memo: dict | None = None) -> "Layers":
        return self.copy(deep=False)
