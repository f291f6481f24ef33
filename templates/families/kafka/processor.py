# fires and Lambda retries the batch, bisecting it, before the on-failure destination.
#
{% include "families/kafka/processor." ~ facts.ordering ~ ".py" -%}
