"""All models, importable from one place (Alembic's env and tests use ``Base.metadata``)."""

from .activities import Activity, ActivityTutor, Equipment, FaultTicket
from .awards import Award, AwardCampaign, Nomination
from .base import Base, Synced, new_uuid, new_uuids
from .certificates import (
    Certificate,
    CertificateAsset,
    CertificatePrint,
    CertificateSerial,
    CertificateTemplate,
)
from .evaluation import Evaluation, EvaluationRound, EvaluationScore, Rubric, RubricItem
from .office import Account, AppSetting, AuditLog, LocalOffice, SyncConflict, SyncLedger, SyncPeer
from .org import OrgUnit
from .people import Person, PersonPhoto
from .posts import Post, PostServedSite
from .training import Attendance, Enrolment, TrainingPlan, TrainingSession

__all__ = [
    "Account", "Activity", "ActivityTutor", "AppSetting", "Attendance", "AuditLog", "Award", "AwardCampaign",
    "Base", "Certificate", "CertificateAsset", "CertificatePrint", "CertificateSerial", "CertificateTemplate", "Enrolment",
    "Equipment", "Evaluation", "EvaluationRound", "EvaluationScore", "FaultTicket", "LocalOffice",
    "Nomination", "OrgUnit", "Person", "PersonPhoto", "Post", "PostServedSite", "Rubric", "RubricItem",
    "Synced", "SyncConflict", "SyncLedger", "SyncPeer", "TrainingPlan", "TrainingSession", "new_uuid", "new_uuids",
]
