from django.db import migrations


def load(apps, schema_editor):
    from portal.taxonomy.services import territories_load

    territories_load(territory_model=apps.get_model("taxonomy", "Territory"))


class Migration(migrations.Migration):
    dependencies = [("taxonomy", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
