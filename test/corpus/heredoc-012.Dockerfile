FROM python:3.12-slim
WORKDIR /app
RUN <<EOF
set -e
apt-get update
apt-get install -y --no-install-recommends curl
rm -rf /var/lib/apt/lists/*
EOF
RUN <<"END"
echo "$NOT_EXPANDED"
END
RUN cat <<EOF > /etc/motd
Welcome to $HOSTNAME
EOF
RUN <<-EOT
	echo "tab-stripped"
	mkdir -p /app/data
	EOT
ENTRYPOINT ["sh", "-c"]
CMD ["cat /etc/app/app.conf"]
