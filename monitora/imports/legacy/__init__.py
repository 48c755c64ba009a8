"""Import of the legacy Monithon data set (2013-2019), one CSV row per published report."""
