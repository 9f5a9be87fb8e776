"""Django settings for the back office."""
DEBUG = True

SECRET_KEY = "django-insecure-0p9o8i7u6y5t4r3e2w1q"

ALLOWED_HOSTS = ["*"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "shop",
        "USER": "shop",
        "PASSWORD": "hunter2",
        "HOST": "db",
    }
}
