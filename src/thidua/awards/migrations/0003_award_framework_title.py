"""Each award names the title the criteria framework's conditions use for it (danh hiệu tương
ứng trong bảng tiêu chí), and the awards of the default list already in the database get theirs.

The mapping is written out here (not imported from ``catalogue``) so that this migration keeps
doing what it did when the catalogue changes. Only rows with the catalogue's codes and a blank
title are filled; any other award is left for the Academy to map.
"""

from django.db import migrations, models

CATALOGUE_TITLES = {
    "co-hoc-vien": "Cờ thi đua",
    "co-ubnd-tinh": "Cờ thi đua",
    "co-chinh-phu": "Cờ thi đua",
    "bang-khen-giam-doc": "Bằng khen",
    "bang-khen-ubnd-tinh": "Bằng khen",
    "bang-khen-thu-tuong": "Bằng khen",
}


def fill_framework_titles(apps, schema_editor):
    Award = apps.get_model("awards", "Award")
    for code, title in CATALOGUE_TITLES.items():
        Award.objects.filter(code=code, framework_title="").update(framework_title=title)


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0002_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="award",
            name="framework_title",
            field=models.CharField(
                blank=True,
                help_text=(
                    "Tên danh hiệu đúng như các điều kiện xét danh hiệu của bảng tiêu chí ghi (ví dụ "
                    "“Cờ thi đua”, “Bằng khen”). Danh sách bỏ phiếu và đề nghị khen thưởng hình thức này "
                    "chỉ gồm các trường đủ điều kiện xét danh hiệu đó. Để trống nếu không có điều kiện nào "
                    "áp dụng."
                ),
                max_length=200,
                verbose_name="danh hiệu tương ứng trong bảng tiêu chí",
            ),
        ),
        migrations.RunPython(fill_framework_titles, migrations.RunPython.noop),
    ]
