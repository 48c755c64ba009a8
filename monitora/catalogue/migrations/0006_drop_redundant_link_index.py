"""Drop the project-side index of the project-territory links.

Django gives every foreign key of an automatic many-to-many table its own index, but the unique
constraint on (project_id, territory_id) already serves every look-up by project: the extra index
only cost a build over millions of links after each bulk import, an update on every link written,
and disk. The territory-side index stays (places → projects).
"""

from django.db import migrations

INDEX = "catalogue_project_territories_project_id_e9908abb"


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0005_search_indexes")]

    operations = [
        migrations.RunSQL(
            f"DROP INDEX IF EXISTS {INDEX}",
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON catalogue_project_territories (project_id)",
        )
    ]
