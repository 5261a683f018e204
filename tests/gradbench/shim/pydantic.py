"""The part of pydantic 2's API that GradBench's eval.py uses (BaseModel(...) and
BaseModel.model_validate), for machines whose only pydantic is Debian's 1.10. Fields are read
from the class annotations; missing ones take the class default or None. No validation."""


class BaseModel:
    def __init__(self, **values):
        for name in _fields(type(self)):
            setattr(self, name, values.get(name, getattr(type(self), name, None)))

    @classmethod
    def model_validate(cls, obj):
        return cls(**obj)


def _fields(cls):
    names = []
    for klass in reversed(cls.__mro__):
        for name in getattr(klass, "__annotations__", {}):
            if name not in names:
                names.append(name)
    return names
