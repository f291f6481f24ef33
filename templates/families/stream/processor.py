# fires and Lambda retries the batch, bisecting it, before the on-failure destination.
#
{% include "families/stream/processor." ~ facts.ordering ~ ".py" -%}
