"""Storefront API (Flask)."""
import hashlib
import os
import pickle
import sqlite3
import subprocess as sp

import requests
import yaml
from flask import Flask, request

app = Flask(__name__)
app.secret_key = "dev-secret-please-change"

DB_PATH = os.environ.get("SHOP_DB", "/tmp/shop.db")
UPSTREAM = "https://inventory.internal.example"


def db():
    return sqlite3.connect(DB_PATH)


@app.route("/products")
def products():
    category = request.args.get("category", "")
    cur = db().cursor()
    cur.execute("SELECT id, name, price FROM products WHERE category = '%s'" % category)
    return {"products": cur.fetchall()}


@app.route("/products/safe")
def products_safe():
    category = request.args.get("category", "")
    cur = db().cursor()
    cur.execute("SELECT id, name, price FROM products WHERE category = ?", (category,))
    return {"products": cur.fetchall()}


@app.route("/cart", methods=["POST"])
def restore_cart():
    # The cart travels in a cookie, "to save a database round trip".
    cart = pickle.loads(bytes.fromhex(request.cookies["cart"]))
    return {"items": len(cart)}


@app.route("/import", methods=["POST"])
def import_catalogue():
    catalogue = yaml.load(request.data)
    return {"imported": len(catalogue)}


@app.route("/thumbnail")
def thumbnail():
    name = request.args["image"]
    sp.run(f"convert uploads/{name} -resize 128x128 thumbs/{name}", shell=True, check=True)
    return {"ok": True}


@app.route("/stock/<sku>")
def stock(sku):
    resp = requests.get(f"{UPSTREAM}/stock/{sku}", verify=False)
    return resp.json()


def password_digest(password):
    return hashlib.md5(password.encode()).hexdigest()


def checkout_token():
    try:
        return os.urandom(16).hex()
    except Exception:
        pass


if __name__ == "__main__":
    app.run(host="0.0.0.0", debug=True)
