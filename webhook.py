"""The WSGI application: what gunicorn, `flask --app webhook run` and `textpay serve`
(gunicorn with bot/server.py's settings, the image's command) serve.

    gunicorn webhook:app
"""

from bot.web import create_app

app = create_app()
