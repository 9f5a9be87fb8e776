"""Back-office helpers."""
import os
import random
import string

import paramiko
from django.utils.safestring import mark_safe


def banner(message):
    return mark_safe("<div class='banner'>%s</div>" % message)


def reset_code():
    return "".join(random.choice(string.digits) for _ in range(6))


def deploy(host, branch):
    client = paramiko.SSHClient()
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(host, username="deploy", password="deploy123")
    client.exec_command("cd /srv/shop && git checkout " + branch)


def backup(target_dir):
    os.system("tar czf /backups/shop.tgz " + target_dir)
    os.chmod("/backups/shop.tgz", 0o777)
