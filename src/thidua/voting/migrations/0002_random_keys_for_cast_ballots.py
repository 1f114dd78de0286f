"""Cast ballots and their choices get random keys: a sequential id reveals the order of voting.

The tables are recreated (no ballot had been cast with the old shape)."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("voting", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="CastBallot"),
        migrations.CreateModel(
            name="CastBallot",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("receipt", models.CharField(max_length=32, unique=True)),
                (
                    "ballot",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="cast", to="voting.ballot"
                    ),
                ),
            ],
            options={"verbose_name": "phiếu bầu", "verbose_name_plural": "phiếu bầu", "ordering": ["receipt"]},
        ),
        migrations.CreateModel(
            name="CastChoice",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                (
                    "candidate",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="voting.candidate"
                    ),
                ),
                (
                    "cast_ballot",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="voting.castballot"
                    ),
                ),
            ],
            options={"verbose_name": "lựa chọn trên phiếu", "verbose_name_plural": "lựa chọn trên phiếu"},
        ),
        migrations.AddConstraint(
            model_name="castchoice",
            constraint=models.UniqueConstraint(fields=("cast_ballot", "candidate"), name="cast_choice_once"),
        ),
        migrations.AddField(
            model_name="castballot",
            name="choices",
            field=models.ManyToManyField(
                blank=True, related_name="+", through="voting.CastChoice", to="voting.candidate"
            ),
        ),
    ]
